#include "chatcommand.h"

namespace {

// Splits "word rest" at the first run of whitespace.
std::pair<QString, QString> splitWord(QStringView s)
{
    s = s.trimmed();
    qsizetype end = 0;
    while (end < s.size() && !s.at(end).isSpace())
        ++end;
    return { s.first(end).toString(), s.sliced(end).trimmed().toString() };
}

} // namespace

QStringList ChatCommand::commandNames()
{
    // The names parse() tells apart below; keep the two together.
    return { QStringLiteral("/help"),  QStringLiteral("/join"),   QStringLiteral("/list"),
             QStringLiteral("/me"),    QStringLiteral("/msg"),    QStringLiteral("/nick"),
             QStringLiteral("/part"),  QStringLiteral("/pass"),   QStringLiteral("/quit"),
             QStringLiteral("/rooms"), QStringLiteral("/switch"), QStringLiteral("/topic"),
             QStringLiteral("/who") };
}

ChatCommand ChatCommand::parse(const QString &line)
{
    ChatCommand command;
    if (line.startsWith(QLatin1String("//"))) {
        command.text = line.mid(1);
        return command;
    }
    if (!line.startsWith(QLatin1Char('/'))) {
        // The tutorial this project grew from ended a session with a bare "quit".
        if (line.trimmed() == QLatin1String("quit"))
            command.type = Type::Quit;
        else
            command.text = line;
        return command;
    }

    const auto [word, rest] = splitWord(QStringView(line).sliced(1));
    const QString name = word.toLower();
    if (name == QLatin1String("me")) {
        command.type = Type::Action;
        command.text = rest;
    } else if (name == QLatin1String("msg")) {
        command.type = Type::Private;
        std::tie(command.target, command.text) = splitWord(rest);
    } else if (name == QLatin1String("nick")) {
        command.type = Type::Nick;
        command.target = rest;
    } else if (name == QLatin1String("who")) {
        command.type = Type::Who;
        command.target = rest;
    } else if (name == QLatin1String("join")) {
        command.type = Type::Join;
        command.target = rest;
    } else if (name == QLatin1String("switch")) {
        command.type = Type::Switch;
        command.target = rest;
    } else if (name == QLatin1String("rooms") || name == QLatin1String("list")) {
        command.type = Type::Rooms;
    } else if (name == QLatin1String("part") || name == QLatin1String("topic")) {
        // A first word with "#" names the room; the rest is the reason, or the topic.
        command.type = name == QLatin1String("part") ? Type::Part : Type::Topic;
        const auto [first, more] = splitWord(rest);
        if (first.startsWith(QLatin1Char('#')))
            std::tie(command.target, command.text) = std::tie(first, more);
        else
            command.text = rest;
        command.hasText = command.type == Type::Topic && !command.text.isEmpty();
    } else if (name == QLatin1String("help")) {
        command.type = Type::Help;
    } else if (name == QLatin1String("quit")) {
        command.type = Type::Quit;
        command.text = rest;
    } else if (name == QLatin1String("pass")) {
        command.type = Type::Pass;
        command.text = rest;
    } else {
        command.type = Type::Unknown;
        command.target = QLatin1Char('/') + word;
    }
    return command;
}
