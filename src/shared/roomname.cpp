#include "roomname.h"

#include "chatlimits.h"
#include "textsanitizer.h"

QString RoomName::prepare(QStringView typed)
{
    QStringView body = typed.trimmed();
    if (body.isEmpty())
        return QString();
    if (body.startsWith(u'#'))
        body = body.sliced(1);
    return u'#' + NickRules::prepare(body);
}

NickRules::Problem RoomName::check(QStringView name, char32_t *culprit)
{
    if (!name.startsWith(u'#')) {
        if (name.isEmpty())
            return NickRules::Problem::Empty;
        if (culprit)
            *culprit = U'#';
        return NickRules::Problem::Character;
    }
    return NickRules::check(name.sliced(1), culprit);
}

QStringList RoomName::keys(QStringView name)
{
    return NickRules::keys(name.startsWith(u'#') ? name.sliced(1) : name);
}

QString RoomName::protocolProblem(QStringView name)
{
    char32_t culprit = 0;
    const NickRules::Problem problem = check(name, &culprit);
    if (problem == NickRules::Problem::None)
        return QString();
    QString text = !name.startsWith(u'#') && problem == NickRules::Problem::Character
                           ? QStringLiteral("does not start with #")
                           : NickRules::protocolProblemText(problem, culprit);
    return QStringLiteral("invalid room name: %1 %2; a room is # followed by %3")
            .arg(TextSanitizer::quoted(name.toString(), ChatLimits::maxNickLength + 1), text,
                 NickRules::protocolRuleText());
}
