#include "fakenotificationservice.h"

#include <QDBusMessage>

namespace {
const QString serviceName = QStringLiteral("org.freedesktop.Notifications");
const QString objectPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

FakeNotificationService::FakeNotificationService(QObject *parent)
    : QObject(parent),
      m_capabilities{ QStringLiteral("actions"), QStringLiteral("body"), QStringLiteral("body-markup"),
                      QStringLiteral("sound") }
{ }

FakeNotificationService::~FakeNotificationService()
{
    unregister();
    if (m_bus.isConnected())
        m_bus.unregisterObject(objectPath);
}

bool FakeNotificationService::registerOn(const QDBusConnection &bus)
{
    // Again after unregister(): the object is still there.
    if (m_bus.objectRegisteredAt(objectPath) != this) {
        m_bus = bus;
        if (!m_bus.registerObject(objectPath, this, QDBusConnection::ExportAllSlots))
            return false;
    }
    m_registered = m_bus.registerService(serviceName);
    return m_registered;
}

void FakeNotificationService::unregister()
{
    if (m_registered)
        m_bus.unregisterService(serviceName);
    m_registered = false;
}

QByteArray FakeNotificationService::describeCalls() const
{
    QByteArray text = QByteArray::number(m_calls.size()) + " Notify call(s)";
    for (const Call &call : m_calls) {
        QStringList hints;
        for (auto it = call.hints.cbegin(); it != call.hints.cend(); ++it)
            hints.append(it.key() + u'=' + it.value().toString());
        text += "\n  app=" + call.appName.toUtf8() + " replaces=" + QByteArray::number(call.replacesId) +
                " id=" + QByteArray::number(call.id) + " summary=\"" + call.summary.toUtf8() + "\" body=\"" +
                call.body.toUtf8() + "\" hints={" + hints.join(QStringLiteral(", ")).toUtf8() + '}';
    }
    return text;
}

uint FakeNotificationService::Notify(const QString &appName, uint replacesId, const QString &appIcon,
                                     const QString &summary, const QString &body, const QStringList &actions,
                                     const QVariantMap &hints, int expireTimeout)
{
    Call call{ appName, replacesId, appIcon, summary, body, actions, hints, expireTimeout, 0 };
    // "If replaces_id is not 0, the returned value is the same value as replaces_id."
    call.id = replacesId != 0 ? replacesId : m_nextId++;
    m_calls.append(call);
    Q_EMIT notified(call);
    return call.id;
}

void FakeNotificationService::CloseNotification(uint id)
{
    emitNotificationClosed(id, 3); // 3: closed by a call to CloseNotification
}

QString FakeNotificationService::GetServerInformation(QString &vendor, QString &version,
                                                      QString &specVersion) const
{
    vendor = QStringLiteral("groupchat tests");
    version = QStringLiteral("1");
    specVersion = QStringLiteral("1.2");
    return QStringLiteral("fake");
}

void FakeNotificationService::emitActionInvoked(uint id, const QString &actionKey)
{
    QDBusMessage signal = QDBusMessage::createSignal(
            objectPath, QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
    signal << id << actionKey;
    m_bus.send(signal);
}

void FakeNotificationService::emitNotificationClosed(uint id, uint reason)
{
    QDBusMessage signal =
            QDBusMessage::createSignal(objectPath, QStringLiteral("org.freedesktop.Notifications"),
                                       QStringLiteral("NotificationClosed"));
    signal << id << reason;
    m_bus.send(signal);
}
