#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

// One IRC line as the harness's IRC clients read it: IRCv3 tags (values unescaped), the
// source's nick, the command and its parameters. Written here rather than taken from the
// server's IrcMessage, so that the harness judges the server's lines by the specifications
// and not by the server's own reading of them.
struct IrcLine
{
    QHash<QString, QString> tags;
    QString sourceNick; // "alice" for ":alice!~gc@groupchat"; the server's name for its lines
    QString command; // upper case
    QStringList params; // the trailing one included

    // Parses one line (CR LF and LF already cut). An empty command: no IRC line.
    static IrcLine parse(const QByteArray &line);
    QString param(int index) const { return params.value(index); }
};
