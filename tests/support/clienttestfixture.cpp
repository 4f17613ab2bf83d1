#include "clienttestfixture.h"

#include "chatconnection.h"
#include "expect.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>

bool ClientTestFixture::setUpHome()
{
    if (!m_home.isValid())
        return false;
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/groupchat-test-bus");
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    return true;
}

bool ClientTestFixture::startServer()
{
    m_server = std::make_unique<ChatServer>();
    return m_server->listen(QHostAddress::LocalHost, 0);
}

std::unique_ptr<ChatClient> ClientTestFixture::connectedClient(const QString &nick) const
{
    auto client = std::make_unique<ChatClient>();
    client->connection()->setReconnectDelays(50, 200);
    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    client->connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), nick);
    if (!welcomed.wait(5000)) {
        qWarning("connectedClient: no welcome for %s within 5 s", qUtf8Printable(nick));
        return nullptr;
    }
    return client;
}

std::unique_ptr<TestClient> ClientTestFixture::plainClient(const QByteArray &nick) const
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(m_server->serverPort()))
        return nullptr;
    client->sendLine("/nick " + nick);
    const LineExpectation renamed = expectLine(
            *client, QRegularExpression(QStringLiteral("^\\* guest\\d+ is now known as %1$")
                                                .arg(QRegularExpression::escape(QLatin1String(nick)))));
    if (!renamed.failure.isEmpty()) {
        qWarning("plainClient: %s", renamed.failure.constData());
        return nullptr;
    }
    return client;
}
