#pragma once

#include <QDateTime>
#include <QString>

// One line of the conversation as the client shows it.
struct ChatEntry
{
    enum class Kind {
        Message,
        Action, // /me
        Private,
        Join,
        Leave,
        NickChange,
        Notice, // from the server or its admin
        Error, // a request was refused
        Status, // the client's own news: connected, lost, reconnected
    };

    Kind kind = Kind::Message;
    quint64 id = 0; // messages only
    QDateTime time; // UTC
    QString nick; // who: the sender, the one who joined or left, the old nick
    QString target; // private: the recipient; nick change: the new nick; notice: "admin"
    QString text; // message text, leave reason, notice or error text
    bool own = false; // sent by this client's user
    bool mentionsMe = false; // the text names this client's nick

    // The user's own messages until the server confirms them (docs/PROTOCOL.md, "Sending
    // exactly once"): shown at once, then replaced in place by the echo.
    enum class Delivery {
        Delivered, // what the server sent (everything that is not the user's own unsettled message)
        Pending, // sent or waiting to be sent; no id yet
        Failed, // the server refused it: failure says why; it can be sent again or deleted
    };
    Delivery delivery = Delivery::Delivered;
    QString clientId; // the own message's "cid", when it had one
    QString failure; // Failed: why, in the user's language

    // Counts toward the unread number in the window title.
    bool isConversation() const
    {
        return kind == Kind::Message || kind == Kind::Action || kind == Kind::Private;
    }
};
