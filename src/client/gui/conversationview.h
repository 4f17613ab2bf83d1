#pragma once

#include "chatentry.h"

#include <QDate>
#include <QPlainTextEdit>
#include <QTextCursor>

class MessageModel;

// Shows a MessageModel as a conversation: local times, day separators, each nick in its
// colour, own messages, actions, private messages and notices each looking their own way,
// clickable links, and a marker where the user stopped reading. Text is inserted as text,
// never parsed as markup, so whatever someone types is shown literally and nothing is ever
// loaded from anywhere.
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

    // The conversation as plain text, as a user reads or copies it: without the isolation
    // marks around nicks and texts.
    QString readableText() const;
    static QString withoutIsolation(QString text);

Q_SIGNALS:
    // A link in the conversation was clicked; only safe ones (isSafeLink) are reported.
    void linkActivated(const QUrl &url);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
    void changeEvent(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    // Copies without the isolation marks the view puts around nicks and texts.
    QMimeData *createMimeDataFromSelection() const override;

private:
    void rebuild();
    QString m_timeFormat = QStringLiteral("HH:mm");
    void appendRows(int first, int last);
    void appendEntry(QTextCursor &cursor, const ChatEntry &entry, bool firstUnread);
    void removeReadMarker();
    QString linkAt(const QPoint &position) const;

    MessageModel *m_model = nullptr;
    QDate m_lastDate;
    QPoint m_pressPosition; // of the left button, to tell a click from a drag
};
