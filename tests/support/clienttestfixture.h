#pragma once

#include "chatclient.h"
#include "chatserver.h"
#include "testclient.h"

#include <QTemporaryDir>

#include <memory>

// What every test of the client core against a real server needs: settings, identities and
// outboxes in a private home instead of the user's, a server on a free loopback port, and
// clients on it. A test class inherits it next to QObject and calls setUpHome() in
// initTestCase(), startServer() in init() and stopServer() in cleanup().
class ClientTestFixture
{
protected:
    // XDG_CONFIG_HOME and XDG_DATA_HOME point into a temporary directory from now on, and
    // there is no session bus (desktop notifications are tested elsewhere). False when the
    // directory cannot be made.
    bool setUpHome();
    // A ChatServer with default limits on 127.0.0.1, a free port; false when it cannot listen.
    bool startServer();
    void stopServer() { m_server.reset(); }

    // A client core connected to m_server as nick and welcomed (reconnecting after 50-200 ms
    // when dropped), or null (logged) when no welcome came within 5 s.
    std::unique_ptr<ChatClient> connectedClient(const QString &nick) const;
    // An nc-style client on m_server that has taken nick (its "is now known as" line has come),
    // or null (logged).
    std::unique_ptr<TestClient> plainClient(const QByteArray &nick = "bob") const;

    std::unique_ptr<ChatServer> m_server;

private:
    QTemporaryDir m_home;
};
