#include "clientpreferences.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSettings>

ClientPreferences ClientPreferences::load(const QSettings &settings)
{
    ClientPreferences preferences;
    const QString theme = settings.value(QStringLiteral("preferences/theme")).toString();
    if (theme == u"light")
        preferences.theme = Theme::Light;
    else if (theme == u"dark")
        preferences.theme = Theme::Dark;
    preferences.fontFamily = settings.value(QStringLiteral("preferences/fontFamily")).toString();
    bool ok = false;
    const int size = settings.value(QStringLiteral("preferences/fontSize")).toInt(&ok);
    if (ok && size >= minFontSize && size <= maxFontSize)
        preferences.fontSize = size;
    const QString clock = settings.value(QStringLiteral("preferences/clock")).toString();
    if (clock == u"24")
        preferences.clock = Clock::TwentyFourHour;
    else if (clock == u"12")
        preferences.clock = Clock::TwelveHour;
    const QString language = settings.value(QStringLiteral("preferences/language")).toString();
    static const QRegularExpression localeName(QStringLiteral("^[a-z]{2,3}(_[A-Z]{2})?$"));
    if (localeName.match(language).hasMatch())
        preferences.language = language;
    return preferences;
}

void ClientPreferences::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("preferences/theme"), theme == Theme::Light  ? QStringLiteral("light")
                                                           : theme == Theme::Dark ? QStringLiteral("dark")
                                                                                  : QStringLiteral("system"));
    settings.setValue(QStringLiteral("preferences/fontFamily"), fontFamily);
    settings.setValue(QStringLiteral("preferences/fontSize"), fontSize);
    settings.setValue(QStringLiteral("preferences/clock"),
                      clock == Clock::TwentyFourHour ? QStringLiteral("24")
                      : clock == Clock::TwelveHour   ? QStringLiteral("12")
                                                     : QStringLiteral("system"));
    settings.setValue(QStringLiteral("preferences/language"), language);
}

QString ClientPreferences::timeFormat() const
{
    switch (clock) {
    case Clock::TwentyFourHour:
        return QStringLiteral("HH:mm");
    case Clock::TwelveHour:
        return QStringLiteral("h:mm AP");
    case Clock::System:
        break;
    }
    // The locale's own, without seconds ("h:mm AP" in en_US, "HH:mm" in de_DE).
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    format.remove(QRegularExpression(QStringLiteral("[:.]ss?")));
    return format;
}

bool ClientPreferences::operator==(const ClientPreferences &other) const
{
    return theme == other.theme && fontFamily == other.fontFamily && fontSize == other.fontSize &&
           clock == other.clock && language == other.language;
}
