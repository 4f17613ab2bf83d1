#include "refusal.h"

namespace {

constexpr Refusal::Reason reasons[] = {
    Refusal::Reason::ServerFull,
    Refusal::Reason::Banned,
    Refusal::Reason::TooManyConnections,
    Refusal::Reason::TooManyNewConnections,
};

} // namespace

QString Refusal::code(Reason reason)
{
    switch (reason) {
    case Reason::None:
        break;
    case Reason::ServerFull:
        return QStringLiteral("server-full");
    case Reason::Banned:
        return QStringLiteral("banned");
    case Reason::TooManyConnections:
        return QStringLiteral("too-many-connections");
    case Reason::TooManyNewConnections:
        return QStringLiteral("too-many-new-connections");
    }
    return QString();
}

QString Refusal::text(Reason reason)
{
    switch (reason) {
    case Reason::None:
        break;
    case Reason::ServerFull:
        return QStringLiteral("server full");
    case Reason::Banned:
        return QStringLiteral("you are banned from this server");
    case Reason::TooManyConnections:
        return QStringLiteral("too many connections from your address");
    case Reason::TooManyNewConnections:
        return QStringLiteral("too many new connections from your address; try again in a minute");
    }
    return QString();
}

Refusal::Reason Refusal::fromLine(QByteArrayView line)
{
    line = line.trimmed();
    if (!line.startsWith("! "))
        return Reason::None;
    const QString said = QString::fromUtf8(line.sliced(2));
    for (const Reason reason : reasons) {
        if (said == text(reason))
            return reason;
    }
    return Reason::None;
}
