#include "desktopcolorscheme.h"

#include <QDBusError>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>

namespace {

const QString portalService = QStringLiteral("org.freedesktop.portal.Desktop");
const QString portalPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString settingsInterface = QStringLiteral("org.freedesktop.portal.Settings");
const QString appearance = QStringLiteral("org.freedesktop.appearance");
const QString colorScheme = QStringLiteral("color-scheme");

} // namespace

DesktopColorScheme::DesktopColorScheme(const QDBusConnection &bus, QObject *parent)
    : QObject(parent), m_bus(bus)
{
    if (!m_bus.isConnected())
        return;
    // The slot's QDBusVariant must be a known type before connect() checks the signature (it
    // is only registered on first use otherwise).
    qRegisterMetaType<QDBusVariant>();
    // Any sender at the portal's path and interface: matching the service name would need its
    // owner looked up first, and a change sent meanwhile would be lost.
    const bool ok = m_bus.connect(QString(), portalPath, settingsInterface, QStringLiteral("SettingChanged"),
                                  this, SLOT(onSettingChanged(QString, QString, QDBusVariant)));
    if (!ok)
        qWarning("cannot follow the desktop's colour scheme: %s", qPrintable(m_bus.lastError().message()));
    QDBusMessage read = QDBusMessage::createMethodCall(portalService, portalPath, settingsInterface,
                                                       QStringLiteral("Read"));
    read << appearance << colorScheme;
    // Without a portal the call fails: the desktop's style and palette stay as they are.
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(read, 2000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *call) {
        call->deleteLater();
        const QDBusPendingReply<QDBusVariant> reply = *call;
        if (!reply.isError())
            set(fromPortalValue(reply.value().variant()));
    });
}

DesktopColorScheme::Scheme DesktopColorScheme::fromPortalValue(const QVariant &value)
{
    // Read() answers a variant in a variant (the portal's documented quirk), ReadOne() and the
    // signal one variant: unwrap as far as there are variants.
    QVariant inner = value;
    for (int depth = 0;
         depth < 4 && inner.canConvert<QDBusVariant>() && inner.userType() == qMetaTypeId<QDBusVariant>();
         ++depth)
        inner = inner.value<QDBusVariant>().variant();
    bool ok = false;
    const uint number = inner.toUInt(&ok);
    if (!ok)
        return Scheme::NoPreference;
    return number == 1 ? Scheme::Dark : number == 2 ? Scheme::Light : Scheme::NoPreference;
}

void DesktopColorScheme::onSettingChanged(const QString &nameSpace, const QString &key,
                                          const QDBusVariant &value)
{
    if (nameSpace == appearance && key == colorScheme)
        set(fromPortalValue(value.variant()));
}

void DesktopColorScheme::set(Scheme scheme)
{
    m_scheme = scheme;
    Q_EMIT changed(scheme);
}
