#include "preferencesdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

PreferencesDialog::PreferencesDialog(const ClientPreferences &preferences, QWidget *parent)
    : QDialog(parent),
      m_theme(new QComboBox(this)),
      m_desktopFont(new QCheckBox(tr("The desktop's font"), this)),
      m_font(new QFontComboBox(this)),
      m_size(new QSpinBox(this)),
      m_clock(new QComboBox(this)),
      m_language(new QComboBox(this)),
      m_sound(new QCheckBox(tr("Play a &sound with each notification"), this)),
      m_doNotDisturb(new QCheckBox(tr("&Do not disturb: no notifications, no sound"), this))
{
    m_sound->setObjectName(QStringLiteral("soundCheck"));
    m_doNotDisturb->setObjectName(QStringLiteral("doNotDisturbCheck"));
    setWindowTitle(tr("Preferences"));
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    m_theme->addItem(tr("As the desktop"), int(ClientPreferences::Theme::System));
    m_theme->addItem(tr("Light"), int(ClientPreferences::Theme::Light));
    m_theme->addItem(tr("Dark"), int(ClientPreferences::Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(preferences.theme)));

    m_desktopFont->setObjectName(QStringLiteral("desktopFontCheck"));
    m_font->setObjectName(QStringLiteral("fontCombo"));
    m_size->setObjectName(QStringLiteral("fontSizeSpin"));
    m_size->setRange(ClientPreferences::minFontSize, ClientPreferences::maxFontSize);
    m_size->setSuffix(tr(" pt"));
    const QFont desktop = font();
    m_desktopFont->setChecked(preferences.fontFamily.isEmpty() && preferences.fontSize == 0);
    m_font->setCurrentFont(preferences.fontFamily.isEmpty() ? desktop : QFont(preferences.fontFamily));
    m_size->setValue(preferences.fontSize > 0 ? preferences.fontSize : qMax(desktop.pointSize(), 9));
    m_font->setAccessibleName(tr("Conversation font"));
    m_size->setAccessibleName(tr("Conversation font size"));
    const auto followDesktop = [this](bool on) {
        m_font->setEnabled(!on);
        m_size->setEnabled(!on);
    };
    connect(m_desktopFont, &QCheckBox::toggled, this, followDesktop);
    followDesktop(m_desktopFont->isChecked());

    m_clock->setObjectName(QStringLiteral("clockCombo"));
    m_clock->addItem(tr("As the language does"), int(ClientPreferences::Clock::System));
    m_clock->addItem(tr("24-hour (14:05)"), int(ClientPreferences::Clock::TwentyFourHour));
    m_clock->addItem(tr("12-hour (2:05 PM)"), int(ClientPreferences::Clock::TwelveHour));
    m_clock->setCurrentIndex(m_clock->findData(int(preferences.clock)));

    // Each language in its own name, as language menus show them.
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(tr("The system's"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(preferences.language)));

    auto *fontRow = new QHBoxLayout;
    fontRow->addWidget(m_font, 1);
    fontRow->addWidget(m_size);
    auto *form = new QFormLayout;
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(tr("Conversation &font:"), m_desktopFont);
    form->addRow(QString(), fontRow);
    form->addRow(tr("&Time:"), m_clock);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(tr("Notifications:"), m_sound);
    form->addRow(QString(), m_doNotDisturb);
    auto *note = new QLabel(tr("A new language takes effect when groupchat starts again. Room › Mute "
                               "Notifications silences one conversation."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * 60);
}

void PreferencesDialog::setNotificationChoices(bool sound, bool doNotDisturb)
{
    m_sound->setChecked(sound);
    m_doNotDisturb->setChecked(doNotDisturb);
}

bool PreferencesDialog::notificationSound() const
{
    return m_sound->isChecked();
}

bool PreferencesDialog::doNotDisturb() const
{
    return m_doNotDisturb->isChecked();
}

ClientPreferences PreferencesDialog::preferences() const
{
    ClientPreferences chosen;
    chosen.theme = ClientPreferences::Theme(m_theme->currentData().toInt());
    if (!m_desktopFont->isChecked()) {
        chosen.fontFamily = m_font->currentFont().family();
        chosen.fontSize = m_size->value();
    }
    chosen.clock = ClientPreferences::Clock(m_clock->currentData().toInt());
    chosen.language = m_language->currentData().toString();
    return chosen;
}
