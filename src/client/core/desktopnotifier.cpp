#include "desktopnotifier.h"

#include "chatlimits.h"
#include "textcut.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>
#include <QGuiApplication>
#include <QVariantMap>

const QString DesktopNotifier::serviceName = QStringLiteral("org.freedesktop.Notifications");
const QString DesktopNotifier::objectPath = QStringLiteral("/org/freedesktop/Notifications");
const QString DesktopNotifier::interfaceName = QStringLiteral("org.freedesktop.Notifications");
const QString DesktopNotifier::soundName = QStringLiteral("message-new-instant");

namespace {

// The spec's "default" action: activating the notification itself (a click on it).
const QString defaultAction = QStringLiteral("default");

} // namespace

DesktopNotifier::DesktopNotifier(const QDBusConnection &bus, QObject *parent) : QObject(parent), m_bus(bus)
{
    if (!m_bus.isConnected())
        return;
    // The spec's signals go to every client; the ids say which notifications are ours.
    m_bus.connect(serviceName, objectPath, interfaceName, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(serviceName, objectPath, interfaceName, QStringLiteral("NotificationClosed"), this,
                  SLOT(onNotificationClosed(uint, uint)));
    // A service that starts (or starts again) after one was missing: try it again, and ask it
    // what it can do; the ids of the old one mean nothing to it.
    auto *watcher =
            new QDBusServiceWatcher(serviceName, m_bus, QDBusServiceWatcher::WatchForOwnerChange, this);
    connect(watcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
            [this](const QString &, const QString &, const QString &newOwner) {
                m_idOf.clear();
                m_conversationOf.clear();
                if (newOwner.isEmpty())
                    return;
                m_serviceMissing = false;
                askCapabilities();
            });
    askCapabilities();
}

void DesktopNotifier::askCapabilities()
{
    // GetCapabilities() -> as. "body-markup": the body is read as markup (the spec's
    // "Markup" section), so ours is escaped.
    QDBusMessage call = QDBusMessage::createMethodCall(serviceName, objectPath, interfaceName,
                                                       QStringLiteral("GetCapabilities"));
    // Asking must not start a service just for this: the first Notify may.
    call.setAutoStartService(false);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *finished) {
        finished->deleteLater();
        const QDBusPendingReply<QStringList> reply = *finished;
        if (reply.isError())
            return;
        m_capabilitiesKnown = true;
        m_bodyMarkup = reply.value().contains(QLatin1String("body-markup"));
    });
}

void DesktopNotifier::notify(const QString &conversation, const QString &summary, const QString &body,
                             bool sound)
{
    Pending notification;
    notification.summary = summary;
    const int max = ChatLimits::notificationPreviewCharacters;
    notification.body =
            TextCut::characterCount(body) > max ? TextCut::left(body, max - 1) + QChar(0x2026) : body;
    notification.sound = sound;
    if (!serviceAvailable()) {
        Q_EMIT undelivered(conversation, notification.summary, notification.body,
                           m_bus.isConnected() ? QStringLiteral("org.freedesktop.DBus.Error.ServiceUnknown")
                                               : QStringLiteral("org.freedesktop.DBus.Error.NoServer"));
        return;
    }
    if (m_sending.contains(conversation)) {
        // Its id is not known yet: sent now, it would stack instead of replacing.
        m_waiting.insert(conversation, notification);
        return;
    }
    send(conversation, notification);
}

void DesktopNotifier::send(const QString &conversation, const Pending &notification)
{
    QVariantMap hints;
    // The spec's standard hints: what this is, which program sent it, and the sound.
    hints.insert(QStringLiteral("category"), QStringLiteral("im.received"));
    if (!QGuiApplication::desktopFileName().isEmpty())
        hints.insert(QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName());
    if (notification.sound)
        hints.insert(QStringLiteral("sound-name"), soundName);
    else
        hints.insert(QStringLiteral("suppress-sound"), true);
    const bool escape = !m_capabilitiesKnown || m_bodyMarkup;

    // Notify(STRING app_name, UINT32 replaces_id, STRING app_icon, STRING summary,
    //        STRING body, as actions, a{sv} hints, INT32 expire_timeout) -> UINT32 id
    QDBusMessage call =
            QDBusMessage::createMethodCall(serviceName, objectPath, interfaceName, QStringLiteral("Notify"));
    call << QGuiApplication::applicationDisplayName() << m_idOf.value(conversation, 0u)
         << QStringLiteral("groupchat") << notification.summary
         << (escape ? notification.body.toHtmlEscaped() : notification.body)
         << QStringList{ defaultAction, tr("Open") } << hints << qint32(-1); // -1: the service's timeout
    m_sending.insert(conversation);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, conversation, notification](QDBusPendingCallWatcher *finished) {
                onNotifyFinished(finished, conversation, notification);
            });
}

void DesktopNotifier::onNotifyFinished(QDBusPendingCallWatcher *watcher, const QString &conversation,
                                       const Pending &notification)
{
    watcher->deleteLater();
    m_sending.remove(conversation);
    const QDBusPendingReply<uint> reply = *watcher;
    if (reply.isError()) {
        // Nobody owns the name and nothing could be started for it (or it failed): until the
        // bus says a service is there, notifications go the other way at once.
        const QString error = reply.error().name();
        if (error == QLatin1String("org.freedesktop.DBus.Error.ServiceUnknown") ||
            error == QLatin1String("org.freedesktop.DBus.Error.NameHasNoOwner") ||
            error == QLatin1String("org.freedesktop.DBus.Error.Spawn.ServiceNotFound"))
            m_serviceMissing = true;
        forget(m_idOf.value(conversation, 0u));
        Q_EMIT undelivered(conversation, notification.summary, notification.body, error);
    } else {
        const uint id = reply.value();
        forget(m_idOf.value(conversation, 0u));
        m_idOf.insert(conversation, id);
        m_conversationOf.insert(id, conversation);
        Q_EMIT delivered(conversation, id);
    }
    const auto waiting = m_waiting.constFind(conversation);
    if (waiting != m_waiting.cend()) {
        const Pending next = *waiting;
        m_waiting.erase(waiting);
        notify(conversation, next.summary, next.body, next.sound);
    }
}

void DesktopNotifier::forget(uint id)
{
    const auto it = m_conversationOf.constFind(id);
    if (it == m_conversationOf.cend())
        return;
    if (m_idOf.value(*it) == id)
        m_idOf.remove(*it);
    m_conversationOf.erase(it);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    const auto it = m_conversationOf.constFind(id);
    if (it != m_conversationOf.cend() && actionKey == defaultAction)
        Q_EMIT activated(*it);
}

void DesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    // Closed (expired, dismissed, or after a click): the next one of its conversation is new.
    Q_UNUSED(reason);
    forget(id);
}
