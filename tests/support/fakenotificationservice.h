#pragma once

#include <QDBusConnection>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

// A stand-in for the desktop's notification service: org.freedesktop.Notifications at
// /org/freedesktop/Notifications on the bus it is registered on, answering as the
// freedesktop "Desktop Notifications Specification" 1.2 says (Notify gives a new id, or
// replaces_id when that is not 0) and recording every Notify call.
class FakeNotificationService : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString appName;
        uint replacesId = 0;
        QString appIcon;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        int expireTimeout = 0;
        uint id = 0; // what Notify answered
    };

    explicit FakeNotificationService(QObject *parent = nullptr);
    ~FakeNotificationService() override;

    // Exports the object and takes the service's name on bus; false when the name is taken.
    bool registerOn(const QDBusConnection &bus);
    // Gives the name up, as a service that quits does (the object stays exported for a later
    // registerOn on the same bus, but no call reaches it without the name).
    void unregister();

    const QList<Call> &calls() const { return m_calls; }
    // Every call so far, one a line, for a failing test to say what did arrive.
    QByteArray describeCalls() const;

    // What GetCapabilities answers (default: actions, body, body-markup, sound).
    void setCapabilities(const QStringList &capabilities) { m_capabilities = capabilities; }

    // The spec's signals, as a service sends them when the user clicks or a notification goes.
    void emitActionInvoked(uint id, const QString &actionKey);
    void emitNotificationClosed(uint id, uint reason);

public Q_SLOTS:
    // The spec's methods.
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int expireTimeout);
    QStringList GetCapabilities() const { return m_capabilities; }
    void CloseNotification(uint id);
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion) const;

Q_SIGNALS:
    void notified(const FakeNotificationService::Call &call);

private:
    QDBusConnection m_bus = QDBusConnection(QString());
    bool m_registered = false;
    QList<Call> m_calls;
    QStringList m_capabilities;
    uint m_nextId = 1;
};
