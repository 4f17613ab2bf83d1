#pragma once

#include "chatentry.h"

#include <QDate>
#include <QTextBrowser>

class MessageModel;

// Shows a MessageModel as a conversation: local times, day separators, each nick in its
// colour, own messages, actions, private messages and notices each looking their own way,
// clickable links, and a marker where the user stopped reading. Text is inserted as text,
// never parsed as markup, so whatever someone types is shown literally and nothing is ever
// loaded from anywhere.
class ConversationView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit ConversationView(QWidget *parent = nullptr);

    void setModel(MessageModel *model);

    // Selects the next match of text before (backward) or after the selection; false when
    // there is none.
    bool findText(const QString &text, bool backward);

    // Links the view opens on a click: http, https and mailto.
    static bool isSafeLink(const QUrl &url);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void appendRows(int first, int last);
    void appendEntry(const ChatEntry &entry, bool firstUnread);
    void removeReadMarker();
    void openLink(const QUrl &url);

    MessageModel *m_model = nullptr;
    QDate m_lastDate;
};
