#pragma once

#include <QString>
#include <QStringView>

// What a nick may be and when two nicks are the same person.
class NickRules
{
public:
    // 1..ChatLimits::maxNickLength characters, each a letter or digit (any script, so that
    // 张伟 is as welcome as alice) or one of _ - .
    static bool isValid(QStringView nick);

    // The form nicks are compared in: Unicode-normalised and case-folded, so Alice and
    // ALICE cannot both be online.
    static QString key(QStringView nick);

    // The rule in words, for error messages.
    static QString ruleText();
};
