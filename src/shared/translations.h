#pragma once

#include <QString>

class QCoreApplication;

// Puts a program's user interface in the user's language: its own strings from the
// translations built into it (:/i18n/<name>_<locale>.qm), or installed beside it, and Qt's
// own (standard buttons and dialogs) from the system's Qt translations.
class Translations
{
public:
    static void install(QCoreApplication &app, const QString &name);
};
