#pragma once

#include "chatmessage.h"

#include <QDialog>
#include <QList>

class ChatClient;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

// Edit › Search History: asks the server (ChatClient::search) for the messages of the user's
// rooms and private conversations that hold every word typed, and lists them newest first
// with room, time and nick; opening one (double-click or Enter) emits opened() for the window
// to show it in its conversation.
class SearchDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SearchDialog(ChatClient *client, QWidget *parent = nullptr);

    // Runs a search for text as if typed and Search pressed.
    void search(const QString &text);
    // The results shown, newest first.
    const QList<ChatMessage> &results() const { return m_results; }

Q_SIGNALS:
    // conversation: as ChatClient::setCurrent() names it; message: the hit.
    void opened(const QString &conversation, const ChatMessage &message);

private:
    void showResults(const QString &text, const QList<ChatMessage> &messages, bool more);
    void open(QTreeWidgetItem *item);

    ChatClient *m_client;
    QLineEdit *m_query;
    QPushButton *m_searchButton;
    QTreeWidget *m_list;
    QLabel *m_status;
    QList<ChatMessage> m_results;
    QString m_asked; // the search on its way, as sent
};
