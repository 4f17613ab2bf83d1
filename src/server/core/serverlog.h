#pragma once

#include <QCoreApplication>
#include <QLoggingCategory>

#include <functional>

// Connects, disconnects (with the reason), nick changes and errors: one line each.
Q_DECLARE_LOGGING_CATEGORY(lcServer)

// The gate every log line of the server passes: whatever a peer put into a message (a reason,
// a quoted field, a nick) is escaped by TextSanitizer::escaped, so one line is always one
// event: in the terminal, in the journal and in the admin window's log alike.
//
// Every line is written in the admin's language: ServerLog::tr("... %1 ...") at its source,
// one translation context for the whole log (docs/ARCHITECTURE.md, "Logging"). Fill the
// placeholders with one multi-argument arg() call, never arg().arg(): a nick or a reason may
// itself contain "%2", which a second call would replace.
class ServerLog
{
    Q_DECLARE_TR_FUNCTIONS(ServerLog)

public:
    // Receives every line, escaped, besides the terminal: the admin window's log.
    using Sink = std::function<void(QtMsgType type, const QMessageLogContext &context, const QString &line)>;

    // Installs the message handler (once; later calls do nothing). Lines go on, escaped, to
    // the handler that was there before (Qt's own: standard error, formatted by
    // qSetMessagePattern or QT_MESSAGE_PATTERN).
    static void install();
    // One sink at a time; an empty one removes it. Called from any thread the log is written
    // from.
    static void setSink(Sink sink);

    // A reason as the log shows it: why a connection ended or was refused, or a room closed.
    // The server's own words ("quit", "ping timeout", "server full"), which peers are sent in
    // English as protocol, in the admin's language; what a user or the admin added to them
    // ("quit: " and their words) exactly as it was. Anything else is returned as it is.
    static QString reason(const QString &reason);
};
