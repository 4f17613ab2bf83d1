#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

class QDBusPendingCallWatcher;

// Delivers a notification to the desktop's notification service over D-Bus
// (org.freedesktop.Notifications, the freedesktop "Desktop Notifications Specification" 1.2:
// https://specifications.freedesktop.org/notification-spec/), one per conversation: a newer
// notification of a conversation replaces the one still shown. Never blocks: every call is
// asynchronous, and where there is no service (no session bus, nobody owns the name and
// nothing can be started for it) the notification comes back through undelivered() for the
// caller to show another way (the tray). Whether to notify at all (do-not-disturb, a muted
// room, the window in front) is the caller's decision.
class DesktopNotifier : public QObject
{
    Q_OBJECT

public:
    // The service, its object and its interface, as the specification names them.
    static const QString serviceName;
    static const QString objectPath;
    static const QString interfaceName;
    // The freedesktop sound-naming name of the sound asked for with sound on.
    static const QString soundName;

    // Notifies through bus, the user's session bus unless a test gives its own. The service's
    // capabilities are asked for at once (asynchronously).
    explicit DesktopNotifier(const QDBusConnection &bus = QDBusConnection::sessionBus(),
                             QObject *parent = nullptr);

    // Shows summary (plain text, e.g. "bob mentioned you in #dev") and body (the message,
    // plain text: cut to ChatLimits::notificationPreviewCharacters user-perceived characters
    // and escaped where the service reads markup, so a peer's text stays text). conversation
    // is the key: a later notify() with the same conversation replaces this notification
    // (the spec's replaces_id), and activated(conversation) reports a click on it. sound asks
    // the service to play "message-new-instant" (the spec's sound-name hint); without it the
    // service is asked to play nothing (suppress-sound). While a Notify for the conversation
    // is on its way, a newer one waits and only the newest is sent once the reply is in.
    void notify(const QString &conversation, const QString &summary, const QString &body, bool sound);

    // Whether the last attempt reached the service (true before any attempt when the bus is
    // connected): false after the service was missing, until the bus says someone owns the
    // name again.
    bool serviceAvailable() const { return m_bus.isConnected() && !m_serviceMissing; }

Q_SIGNALS:
    // The service showed the notification for conversation; id is the service's (the spec's
    // return value of Notify, never 0).
    void delivered(const QString &conversation, uint id);
    // The notification could not be shown by the service (no session bus, service missing or
    // failing: the D-Bus error's name is in error); summary and body are as notify() was
    // given them, the body already cut, not escaped: to be shown another way.
    void undelivered(const QString &conversation, const QString &summary, const QString &body,
                     const QString &error);
    // The user clicked the notification of conversation (the spec's ActionInvoked signal with
    // the "default" action).
    void activated(const QString &conversation);

private Q_SLOTS:
    // The spec's signals: ActionInvoked(UINT32 id, STRING action_key) and
    // NotificationClosed(UINT32 id, UINT32 reason).
    void onActionInvoked(uint id, const QString &actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    struct Pending
    {
        QString summary;
        QString body;
        bool sound = false;
    };
    void send(const QString &conversation, const Pending &notification);
    void onNotifyFinished(QDBusPendingCallWatcher *watcher, const QString &conversation,
                          const Pending &notification);
    void askCapabilities();
    void forget(uint id);

    QDBusConnection m_bus;
    bool m_serviceMissing = false;
    // The service's GetCapabilities answer; until it is in, the body is escaped (most services
    // read markup, and unescaped text must never become markup).
    bool m_capabilitiesKnown = false;
    bool m_bodyMarkup = true;
    QHash<QString, uint> m_idOf; // conversation -> the id of its notification still shown
    QHash<uint, QString> m_conversationOf;
    QSet<QString> m_sending; // conversations with a Notify under way
    QHash<QString, Pending> m_waiting; // the newest notification waiting for that reply
};
