#pragma once

#include <QDBusConnection>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

// A private D-Bus session bus for one test: dbus-daemon (Debian's dbus package) with a
// configuration of its own that starts no service on demand, so what a test sees on it is only
// what the test put there, never the user's desktop.
class SessionBus
{
public:
    SessionBus() = default;
    ~SessionBus();
    SessionBus(const SessionBus &) = delete;
    SessionBus &operator=(const SessionBus &) = delete;

    // Starts the daemon and waits (at most timeoutMs) for its address; false with why in
    // error (dbus-daemon missing, or it said nothing) when it could not.
    bool start(QString *error, int timeoutMs = 5000);
    // The bus's address ("unix:abstract=...,guid=..."), for DBUS_SESSION_BUS_ADDRESS.
    QString address() const { return m_address; }
    // A new connection to the bus, called name in the process (QDBusConnection::connectToBus);
    // disconnected when the SessionBus goes.
    QDBusConnection connect(const QString &name);

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QString m_address;
    QStringList m_connections;
};
