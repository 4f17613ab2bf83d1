#include "readersfixture.h"

#include "chatlimits.h"
#include "expect.h"
#include "jsonprotocol.h"
#include "jsontext.h"

#include <QFile>

namespace {

QByteArray hello(const QString &nick)
{
    return json({ { QStringLiteral("type"), QStringLiteral("hello") },
                  { QStringLiteral("version"), JsonProtocol::version },
                  { QStringLiteral("nick"), nick },
                  { QStringLiteral("identity"), QString(nick + QStringLiteral("-identity-0123456789")) } });
}

} // namespace

bool ReadersFixture::startServer(bool database)
{
    if (!m_dir.isValid())
        return false;
    ChatLimits limits;
    limits.floodControl = false; // the tests say their lines in bursts
    m_server = std::make_unique<ChatServer>(limits);
    if (database && !m_server->openHistory(m_dir.filePath(QStringLiteral("history.sqlite"))))
        return false;
    return m_server->listen(QHostAddress::LocalHost, 0);
}

void ReadersFixture::stopServer()
{
    m_alice.reset();
    m_bob.reset();
    m_carol.reset();
    m_server.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("history.sqlite")));
}

bool ReadersFixture::joinReaders()
{
    m_alice = joinJsonWith(port(), hello(QStringLiteral("alice")));
    m_bob = joinJsonWith(port(), hello(QStringLiteral("bob")));
    m_carol = joinJsonWith(port(), hello(QStringLiteral("carol")));
    if (!m_alice || !m_bob || !m_carol)
        return false;
    m_carol->sendLine(R"({"type":"join","room":"#other"})");
    m_carol->sendLine(R"({"type":"part","room":"#general"})");
    return !m_carol->waitForJson(QStringLiteral("part")).isEmpty();
}

quint64 ReadersFixture::said(TestClient &who, const QJsonObject &request, const QString &type)
{
    who.sendLine(json(request));
    const QString text = request.value(u"text").toString();
    const QJsonObject echo =
            who.waitForJson(type, [&](const QJsonObject &o) { return o.value(u"text") == text; });
    return quint64(qMax<qint64>(0, echo.value(u"id").toInteger()));
}
