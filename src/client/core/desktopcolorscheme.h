#pragma once

#include <QDBusConnection>
#include <QObject>

class QDBusVariant;

// The desktop's light or dark preference, for the "as the desktop" theme: Qt 6.4 cannot ask
// for it (QStyleHints::colorScheme() is Qt 6.5), so it is read from the XDG desktop portal
// (org.freedesktop.portal.Settings, namespace "org.freedesktop.appearance", key
// "color-scheme": 0 no preference, 1 prefer dark, 2 prefer light; XDG Desktop Portal
// documentation), which GNOME, KDE and others serve. Asynchronous: scheme() is NoPreference
// until the portal answers, and changed() reports the answer and every later change.
class DesktopColorScheme : public QObject
{
    Q_OBJECT

public:
    enum class Scheme { NoPreference, Dark, Light };
    Q_ENUM(Scheme)

    // Asks the portal on bus (the session bus, or a test's) at once.
    explicit DesktopColorScheme(const QDBusConnection &bus, QObject *parent = nullptr);

    Scheme scheme() const { return m_scheme; }

    // The portal's value (a uint, possibly wrapped in variants) as a Scheme; NoPreference for
    // anything else.
    static Scheme fromPortalValue(const QVariant &value);

Q_SIGNALS:
    void changed(DesktopColorScheme::Scheme scheme);

private Q_SLOTS:
    void onSettingChanged(const QString &nameSpace, const QString &key, const QDBusVariant &value);

private:
    void set(Scheme scheme);

    QDBusConnection m_bus;
    Scheme m_scheme = Scheme::NoPreference;
};
