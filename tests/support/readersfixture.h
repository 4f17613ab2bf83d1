#pragma once

#include "chatserver.h"
#include "testclient.h"

#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

// The people of the tests that read history back (older history, search): alice and bob in
// #general, carol in #other only, each with an identity, on a server with flood control off,
// with or without a history database. A test class inherits it next to QObject, calls
// startServer() and joinReaders() in its cases and stopServer() in cleanup().
class ReadersFixture
{
protected:
    // The server, listening on 127.0.0.1 at a free port, with a history database in a
    // temporary directory when database is true; false when it cannot be made.
    bool startServer(bool database);
    // Closes the clients and the server and removes the database.
    void stopServer();
    // Connects alice, bob and carol (JSON, identities "NICK-identity-0123456789") and moves
    // carol from #general to #other; false (logged by the expectations) when one fails.
    bool joinReaders();
    // who sends request and waits for what comes back of its text as type ("message",
    // "private"): that event's id, or 0 when none came.
    static quint64 said(TestClient &who, const QJsonObject &request, const QString &type);
    quint16 port() const { return m_server->serverPort(); }

    QTemporaryDir m_dir;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_carol;
};
