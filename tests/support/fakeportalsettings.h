#pragma once

#include <QDBusConnection>
#include <QDBusContext>
#include <QDBusVariant>
#include <QObject>

// A stand-in for the XDG desktop portal's Settings interface (org.freedesktop.portal.Desktop at
// /org/freedesktop/portal/desktop, org.freedesktop.portal.Settings) that knows one setting,
// org.freedesktop.appearance color-scheme (0 no preference, 1 dark, 2 light), answers Read as
// the portal does (a variant in a variant) and sends SettingChanged when it changes.
class FakePortalSettings : public QObject, protected QDBusContext
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")

public:
    explicit FakePortalSettings(uint colorScheme, QObject *parent = nullptr);
    ~FakePortalSettings() override;

    // Exports the object and takes the portal's name on bus; false when that fails.
    bool registerOn(const QDBusConnection &bus);
    // A new value, announced with SettingChanged.
    void setColorScheme(uint colorScheme);
    int reads() const { return m_reads; }

public Q_SLOTS:
    QDBusVariant Read(const QString &nameSpace, const QString &key);

Q_SIGNALS:
    void SettingChanged(const QString &nameSpace, const QString &key, const QDBusVariant &value);

private:
    QDBusConnection m_bus{ QString() };
    uint m_colorScheme;
    int m_reads = 0;
};
