#pragma once

#include "nickrules.h"

#include <QString>
#include <QStringList>
#include <QStringView>

// What a room may be called and when two names are one room: "#" followed by a name of the
// nick identifier profile (NickRules: UTS #39 through ICU, 1..ChatLimits::maxNickLength
// characters), unique by the same confusable skeletons, so "#Dev", "#dev" and a Cyrillic
// "#dеv" are one room. docs/PROTOCOL.md, "Rooms".
class RoomName
{
public:
    // The form a room is created and compared in: without surrounding white space, in NFC,
    // with its leading "#" ("dev" and "#dev" are both "#dev"). Empty stays empty.
    static QString prepare(QStringView typed);
    // What is wrong with a prepared name (NickRules::Problem of the part after "#"; a name
    // without its "#" is Problem::Character with culprit '#').
    static NickRules::Problem check(QStringView name, char32_t *culprit = nullptr);
    static bool isValid(QStringView name) { return check(prepare(name)) == NickRules::Problem::None; }
    // NickRules::keys of the part after "#": two names are one room when any keys are equal.
    static QStringList keys(QStringView name);
    // Whether text is meant as a room ("#" first): how "/part #dev bye" tells a room from a
    // reason.
    static bool looksLikeRoom(QStringView text) { return text.startsWith(u'#'); }
    // "invalid room name: "#a b" has a character ..., a room is # and ..." in English, for the
    // protocol's error lines.
    static QString protocolProblem(QStringView name);
};
