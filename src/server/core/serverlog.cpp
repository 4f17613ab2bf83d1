#include "serverlog.h"

#include "textsanitizer.h"

#include <QMutex>

#include <cstdio>

Q_LOGGING_CATEGORY(lcServer, "groupchat.server")

namespace {

// The reasons the server core gives, word for word (ClientSession::close and abort, the
// session's own ends, Refusal::text, RoomKeeper::close): the log's vocabulary of its own.
constexpr const char *ownReasons[] = {
    QT_TRANSLATE_NOOP("ServerLog", "quit"),
    QT_TRANSLATE_NOOP("ServerLog", "banned"),
    QT_TRANSLATE_NOOP("ServerLog", "server shutting down"),
    QT_TRANSLATE_NOOP("ServerLog", "wrong password"),
    QT_TRANSLATE_NOOP("ServerLog", "no password"),
    QT_TRANSLATE_NOOP("ServerLog", "no first line"),
    QT_TRANSLATE_NOOP("ServerLog", "registration timed out"),
    QT_TRANSLATE_NOOP("ServerLog", "ping timeout"),
    QT_TRANSLATE_NOOP("ServerLog", "excess flood"),
    QT_TRANSLATE_NOOP("ServerLog", "send queue exceeded"),
    QT_TRANSLATE_NOOP("ServerLog", "replaced by a new connection"),
    QT_TRANSLATE_NOOP("ServerLog", "a TLS handshake on the plain port"),
    QT_TRANSLATE_NOOP("ServerLog", "connection closed"),
    QT_TRANSLATE_NOOP("ServerLog", "connection reset by peer"),
    QT_TRANSLATE_NOOP("ServerLog", "connection timed out"),
    QT_TRANSLATE_NOOP("ServerLog", "bad hello: bad identity"),
    QT_TRANSLATE_NOOP("ServerLog", "kicked: no reason given"),
    QT_TRANSLATE_NOOP("ServerLog", "closed by the admin"),
    QT_TRANSLATE_NOOP("ServerLog", "server full"),
    QT_TRANSLATE_NOOP("ServerLog", "you are banned from this server"),
    QT_TRANSLATE_NOOP("ServerLog", "too many connections from your address"),
    QT_TRANSLATE_NOOP("ServerLog", "too many new connections from your address; try again in a minute"),
};

// Reasons that begin in the server's words and go on in someone else's: a user's quit
// message, the admin's kick reason, what a malformed hello was.
struct Lead
{
    const char *english;
    const char *translatable;
};
constexpr Lead leads[] = {
    { "quit: ", QT_TRANSLATE_NOOP("ServerLog", "quit: %1") },
    { "kicked: ", QT_TRANSLATE_NOOP("ServerLog", "kicked: %1") },
    { "closed by the admin: ", QT_TRANSLATE_NOOP("ServerLog", "closed by the admin: %1") },
    { "bad hello: ", QT_TRANSLATE_NOOP("ServerLog", "bad hello: %1") },
    { "unsupported protocol version ", QT_TRANSLATE_NOOP("ServerLog", "unsupported protocol version %1") },
};

QtMessageHandler previousHandler = nullptr;
bool installed = false;
QMutex sinkMutex;
ServerLog::Sink sink;

void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // Escapes only what would break a line or hide in one; backslashes are our own text's.
    const QString line = TextSanitizer::escaped(message, false);
    if (previousHandler)
        previousHandler(type, context, line);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, line)));
    const QMutexLocker lock(&sinkMutex);
    if (sink)
        sink(type, context, line);
}

} // namespace

void ServerLog::install()
{
    if (std::exchange(installed, true))
        return;
    previousHandler = qInstallMessageHandler(&handle);
}

QString ServerLog::reason(const QString &reason)
{
    for (const char *own : ownReasons) {
        if (reason == QLatin1String(own))
            return QCoreApplication::translate("ServerLog", own);
    }
    for (const Lead &lead : leads) {
        const QLatin1String english(lead.english);
        if (reason.startsWith(english))
            return QCoreApplication::translate("ServerLog", lead.translatable)
                    .arg(reason.mid(english.size()));
    }
    return reason;
}

void ServerLog::setSink(Sink newSink)
{
    const QMutexLocker lock(&sinkMutex);
    sink = std::move(newSink);
}
