#include "outbox.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>

#include <algorithm>

namespace {

QString kindWord(OutgoingMessage::Kind kind)
{
    switch (kind) {
    case OutgoingMessage::Kind::Action:
        return QStringLiteral("action");
    case OutgoingMessage::Kind::Private:
        return QStringLiteral("private");
    case OutgoingMessage::Kind::Say:
        break;
    }
    return QStringLiteral("say");
}

OutgoingMessage::Kind kindFromWord(const QString &word)
{
    if (word == u"action")
        return OutgoingMessage::Kind::Action;
    if (word == u"private")
        return OutgoingMessage::Kind::Private;
    return OutgoingMessage::Kind::Say;
}

// Files are written on a thread of their own: a QSaveFile commit waits for the disk (fsync), which
// the window must not. One thread, so the writes keep their order and the last one wins.
QThreadPool &writer()
{
    static QThreadPool pool;
    static const bool once = [] {
        pool.setMaxThreadCount(1);
        pool.setExpiryTimeout(-1);
        return true;
    }();
    Q_UNUSED(once)
    return pool;
}

} // namespace

void Outbox::waitForWrites()
{
    writer().waitForDone();
}

void Outbox::open(const QString &host, quint16 port, const QString &identity)
{
    m_key = QStringLiteral("%1:%2\n%3").arg(host).arg(port).arg(identity);
    m_messages.clear();
    // Named by a hash: the identity is a secret, and a host name may hold characters no file
    // name can.
    const QByteArray hash = QCryptographicHash::hash(m_key.toUtf8(), QCryptographicHash::Sha256).toHex();
    m_fileName = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                 QStringLiteral("/outbox/") + QString::fromLatin1(hash.left(32)) + QStringLiteral(".json");
}

int Outbox::load(qint64 maxAgeMs)
{
    m_messages.clear();
    // What an earlier Outbox of this process wrote must be there first (one server, opened again).
    waitForWrites();
    QFile file(m_fileName);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QJsonArray array = QJsonDocument::fromJson(file.readAll()).array();
    const QDateTime oldest = QDateTime::currentDateTimeUtc().addMSecs(-maxAgeMs);
    int dropped = 0;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        OutgoingMessage message;
        message.clientId = object.value(u"cid").toString();
        message.kind = kindFromWord(object.value(u"kind").toString());
        message.room = object.value(u"room").toString();
        message.to = object.value(u"to").toString();
        message.text = object.value(u"text").toString();
        message.created = QDateTime::fromString(object.value(u"created").toString(), Qt::ISODateWithMs);
        message.failed = object.value(u"failed").toBool();
        message.failure = object.value(u"failure").toString();
        if (message.clientId.isEmpty() || message.text.isEmpty() || !message.created.isValid())
            continue;
        if (message.created < oldest) {
            ++dropped;
            continue;
        }
        m_messages.append(message);
    }
    if (dropped > 0)
        save();
    return dropped;
}

const OutgoingMessage *Outbox::find(const QString &clientId) const
{
    const auto it = std::find_if(m_messages.begin(), m_messages.end(),
                                 [&](const OutgoingMessage &m) { return m.clientId == clientId; });
    return it == m_messages.end() ? nullptr : &*it;
}

void Outbox::add(const OutgoingMessage &message)
{
    m_messages.append(message);
    while (m_messages.size() > maxMessages)
        m_messages.removeFirst();
    save();
}

void Outbox::update(const OutgoingMessage &message)
{
    for (OutgoingMessage &held : m_messages) {
        if (held.clientId == message.clientId) {
            held = message;
            save();
            return;
        }
    }
}

void Outbox::rename(const QString &clientId, const QString &newClientId)
{
    for (OutgoingMessage &held : m_messages) {
        if (held.clientId == clientId) {
            held.clientId = newClientId;
            save();
            return;
        }
    }
}

bool Outbox::remove(const QString &clientId)
{
    const auto removed =
            m_messages.removeIf([&](const OutgoingMessage &m) { return m.clientId == clientId; });
    if (removed > 0)
        save();
    return removed > 0;
}

void Outbox::save() const
{
    if (m_fileName.isEmpty())
        return;
    QJsonArray array;
    for (const OutgoingMessage &message : m_messages) {
        QJsonObject object{ { QStringLiteral("cid"), message.clientId },
                            { QStringLiteral("kind"), kindWord(message.kind) },
                            { QStringLiteral("text"), message.text },
                            { QStringLiteral("created"), message.created.toString(Qt::ISODateWithMs) } };
        if (!message.room.isEmpty())
            object.insert(QStringLiteral("room"), message.room);
        if (!message.to.isEmpty())
            object.insert(QStringLiteral("to"), message.to);
        if (message.failed) {
            object.insert(QStringLiteral("failed"), true);
            object.insert(QStringLiteral("failure"), message.failure);
        }
        array.append(object);
    }
    // Nothing waiting: no file.
    const QByteArray data =
            array.isEmpty() ? QByteArray() : QJsonDocument(array).toJson(QJsonDocument::Compact);
    writer().start([fileName = m_fileName, data] {
        if (data.isEmpty()) {
            QFile::remove(fileName);
            return;
        }
        QDir().mkpath(QFileInfo(fileName).absolutePath());
        QSaveFile file(fileName);
        if (file.open(QIODevice::WriteOnly)) {
            file.write(data);
            file.commit();
        }
    });
}
