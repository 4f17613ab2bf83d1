#pragma once

#include "clientpreferences.h"

#include <QDialog>

class QComboBox;
class QFontComboBox;
class QSpinBox;
class QCheckBox;

// Edit › Preferences: theme, the conversation's font and size, 12- or 24-hour time, and the
// language (at the next start). Shows preferences() as given; accepted() leaves the choice in
// preferences() for the window to apply and save.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(const ClientPreferences &preferences, QWidget *parent = nullptr);

    // What the dialog shows now.
    ClientPreferences preferences() const;
    // The Notifications menu's two switches, shown here too.
    void setNotificationChoices(bool sound, bool doNotDisturb);
    bool notificationSound() const;
    bool doNotDisturb() const;

private:
    QComboBox *m_theme;
    QCheckBox *m_desktopFont;
    QFontComboBox *m_font;
    QSpinBox *m_size;
    QComboBox *m_clock;
    QComboBox *m_language;
    QCheckBox *m_sound;
    QCheckBox *m_doNotDisturb;
};
