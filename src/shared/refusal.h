#pragma once

#include <QByteArrayView>
#include <QString>

// Why the server turns a connection away as it connects, in words both sides agree on. The
// server refuses before it knows the connection's dialect, so it always writes the plain line
// ("! server full"); the desktop client reads the same line back with fromLine() to know what
// to do (wait and retry, or stop: a ban is final). docs/PROTOCOL.md lists them.
class Refusal
{
public:
    enum class Reason {
        None,
        ServerFull, // --max-clients reached: try again later
        Banned, // the admin banned the address: trying again cannot help
        TooManyConnections, // --max-per-address: try again when one of them closed
        TooManyNewConnections, // --max-connects-per-minute: try again in a minute
    };

    // The stable, machine-readable word for reason: "server-full", "banned", ...
    static QString code(Reason reason);
    // What the refusal line says after its "! ".
    static QString text(Reason reason);
    // The reason a refusal line gives ("! server full", with or without its line end), or
    // Reason::None for any other line.
    static Reason fromLine(QByteArrayView line);
};
