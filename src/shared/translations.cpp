#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

void Translations::install(QCoreApplication &app, const QString &name)
{
    const QLocale locale;
    auto *ours = new QTranslator(&app);
    const QString installed =
            QCoreApplication::applicationDirPath() + QStringLiteral("/../share/groupchat/translations");
    if (ours->load(locale, name, QStringLiteral("_"), QStringLiteral(":/i18n")) ||
        ours->load(locale, name, QStringLiteral("_"), installed))
        QCoreApplication::installTranslator(ours);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}
