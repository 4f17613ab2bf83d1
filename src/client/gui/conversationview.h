#pragma once

#include "chatentry.h"

#include <QDate>
#include <QPlainTextEdit>
#include <QTextCursor>

class MessageModel;
class QLabel;
class QToolButton;

// Shows a MessageModel as a conversation: local times, day separators, each nick in its
// colour, own messages, actions, private messages and notices each looking their own way,
// clickable links, and a marker where the user stopped reading. Text is inserted as text,
// never parsed as markup, so whatever someone types is shown literally and nothing is ever
// loaded from anywhere.
//
// A view at the bottom stays there whatever happens to the layout (new entries, a narrower
// window, another font, history put before); a view the user scrolled up stays where it is,
// and a "new messages below" button counts what arrived out of sight.
class ConversationView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit ConversationView(QWidget *parent = nullptr);

    void setModel(MessageModel *model);
    // The QTime format of the time before each line ("HH:mm", "h:mm AP"; Preferences).
    void setTimeFormat(const QString &format);

    // Selects the next match of text before (backward) or after the selection; false when
    // there is none.
    bool findText(const QString &text, bool backward);

    // Links that may be opened: http, https and mailto.
    static bool isSafeLink(const QUrl &url);
    // The links of a refused message's actions (never opened, answered by the view's signals).
    static QUrl retryLink(const QString &clientId);
    static QUrl deleteLink(const QString &clientId);

    // The conversation as plain text, as a user reads or copies it: without the isolation
    // marks around nicks and texts.
    QString readableText() const;
    static QString withoutIsolation(QString text);

    // True while the view follows the conversation: it was at the bottom when the user last
    // scrolled (or it never was scrolled). New entries then scroll it along.
    bool followsBottom() const { return m_followBottom; }
    // Messages (ChatEntry::isConversation) that arrived below while the user was reading
    // further up (the button's count); 0 once the bottom is reached.
    int unseenBelow() const { return m_unseenBelow; }
    // Scrolls to the newest entry and follows the conversation again (the button's action).
    void scrollToBottom();
    // Scrolling back: older messages are being fetched (a line at the top says so), or the
    // server has none older (said at the top when the view is scrolled there).
    void setOlderState(bool loading, bool historyBegins);

Q_SIGNALS:
    // A link in the conversation was clicked; only safe ones (isSafeLink) are reported.
    void linkActivated(const QUrl &url);
    // The "Retry" or "Delete" link of the user's message that the server refused was clicked.
    void retryRequested(const QString &clientId);
    void deleteRequested(const QString &clientId);
    // The user scrolled to the top (or tried to scroll further up from there): older
    // messages are wanted. Emitted on user actions only, never on the view's own moves.
    void topReached();

protected:
    QVariant loadResource(int type, const QUrl &name) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    // Adds Retry and Delete for a refused message of the user's under the pointer.
    void contextMenuEvent(QContextMenuEvent *event) override;
    // Copies without the isolation marks the view puts around nicks and texts.
    QMimeData *createMimeDataFromSelection() const override;

private:
    void rebuild();
    QString m_timeFormat = QStringLiteral("HH:mm");
    void appendRows(int first, int last);
    // The entry of row changed (a pending message settled or refused): its line is laid out
    // again in place.
    void replaceRow(int row);
    void appendEntry(QTextCursor &cursor, const ChatEntry &entry, bool firstUnread);
    void removeReadMarker();
    QString linkAt(const QPoint &position) const;
    // The client id of the refused message on the line at position (its Retry link's), or empty.
    QString refusedAt(const QPoint &position) const;
    // The scroll bar moved (by anyone) or the user moved it (userAction).
    void scrolled();
    void userScrolled(int action);
    void updateBelowButton();
    void placeBelowButton();
    void updateOlderLabel();

    MessageModel *m_model = nullptr;
    QDate m_lastDate;
    QPoint m_pressPosition; // of the left button, to tell a click from a drag
    QToolButton *m_belowButton;
    QLabel *m_olderLabel;
    bool m_loadingOlder = false;
    bool m_historyBegins = false;
    bool m_followBottom = true;
    bool m_rebuilding = false; // the document is being laid out anew: scroll moves are ours
    bool m_clamping = false; // the next value change is the scroll bar keeping within its range
    int m_unseenBelow = 0;
};
