#include "nickrules.h"

#include "chatlimits.h"

#include <QList>

bool NickRules::isValid(QStringView nick)
{
    if (nick.isEmpty())
        return false;
    int characters = 0;
    for (const char32_t c : nick.toUcs4()) {
        if (++characters > ChatLimits::maxNickLength)
            return false;
        if (c == U'_' || c == U'-' || c == U'.')
            continue;
        if (!QChar::isLetterOrNumber(c))
            return false;
        // Letter-like numbers (Roman numerals, circled digits) are allowed by
        // isLetterOrNumber but read as decorations; keep to decimal digits.
        if (QChar::isNumber(c) && QChar::category(c) != QChar::Number_DecimalDigit)
            return false;
    }
    return true;
}

QString NickRules::key(QStringView nick)
{
    return nick.toString().normalized(QString::NormalizationForm_KC).toCaseFolded();
}

QString NickRules::ruleText()
{
    return QStringLiteral("1-%1 letters, digits, _ - or .").arg(ChatLimits::maxNickLength);
}
