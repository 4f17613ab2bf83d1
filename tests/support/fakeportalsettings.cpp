#include "fakeportalsettings.h"

#include <QDBusMessage>

namespace {
const QString serviceName = QStringLiteral("org.freedesktop.portal.Desktop");
const QString objectPath = QStringLiteral("/org/freedesktop/portal/desktop");
} // namespace

FakePortalSettings::FakePortalSettings(uint colorScheme, QObject *parent)
    : QObject(parent), m_colorScheme(colorScheme)
{ }

FakePortalSettings::~FakePortalSettings()
{
    if (m_bus.isConnected()) {
        m_bus.unregisterService(serviceName);
        m_bus.unregisterObject(objectPath);
    }
}

bool FakePortalSettings::registerOn(const QDBusConnection &bus)
{
    m_bus = bus;
    return m_bus.registerObject(objectPath, this,
                                QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals) &&
           m_bus.registerService(serviceName);
}

void FakePortalSettings::setColorScheme(uint colorScheme)
{
    m_colorScheme = colorScheme;
    Q_EMIT SettingChanged(QStringLiteral("org.freedesktop.appearance"), QStringLiteral("color-scheme"),
                          QDBusVariant(QVariant::fromValue(colorScheme)));
}

QDBusVariant FakePortalSettings::Read(const QString &nameSpace, const QString &key)
{
    ++m_reads;
    if (nameSpace != u"org.freedesktop.appearance" || key != u"color-scheme") {
        // As the portal answers an unknown setting.
        if (calledFromDBus())
            sendErrorReply(QStringLiteral("org.freedesktop.portal.Error.NotFound"),
                           QStringLiteral("no such setting"));
        return {};
    }
    // The portal's Read wraps the value in one more variant.
    return QDBusVariant(QVariant::fromValue(QDBusVariant(QVariant::fromValue(m_colorScheme))));
}
