#pragma once

#include <QTcpServer>

#include <functional>

// The listening socket. It hands each accepted connection's descriptor on as it is, instead
// of wrapping it in a QTcpSocket (which ClientSession does not use).
class ChatListener : public QTcpServer
{
    Q_OBJECT

public:
    ChatListener(std::function<void(qintptr)> accept, QObject *parent = nullptr)
        : QTcpServer(parent), m_accept(std::move(accept))
    { }

protected:
    void incomingConnection(qintptr descriptor) override { m_accept(descriptor); }

private:
    std::function<void(qintptr)> m_accept;
};
