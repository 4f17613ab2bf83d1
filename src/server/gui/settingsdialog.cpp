#include "settingsdialog.h"

#include "roomname.h"
#include "ui_settingsdialog.h"

#include <QPushButton>
#include <QRegularExpressionValidator>

SettingsDialog::SettingsDialog(const ServerConfig &saved, const QStringList &overridden, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SettingsDialog>()), m_saved(saved)
{
    m_ui->setupUi(this);
    m_ui->historyKeepEdit->setValidator(
            new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,9}d?")), this));
    showConfig(saved);
    if (!overridden.isEmpty()) {
        QStringList options;
        for (const QString &name : overridden)
            options.append(u"--" + name);
        m_ui->noteLabel->setText(
                tr("Changes apply the next time the service starts. For as long as this program "
                   "runs, %1 given on the command line win over these settings.")
                        .arg(options.join(QStringLiteral(", "))));
    }
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_ui->buttonBox->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { showConfig(ServerConfig()); });
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::showConfig(const ServerConfig &config)
{
    m_ui->nameEdit->setText(config.name);
    m_ui->portSpin->setValue(config.port);
    m_ui->ircPortSpin->setValue(qMax(0, config.ircPort));
    m_ui->bindEdit->setText(config.address == QHostAddress::Any ? QString() : config.address.toString());
    m_ui->maxClientsSpin->setValue(config.limits.maxClients);
    m_ui->historySpin->setValue(config.limits.historyLines);
    m_ui->historyKeepEdit->setText(config.historyKeepText());
    m_ui->maxLineSpin->setValue(int(config.limits.maxLineBytes));
    m_ui->sendqSpin->setValue(int(config.limits.maxSendQueueBytes / 1024));
    m_ui->presenceSpin->setValue(config.limits.presenceLimit);
    m_ui->defaultRoomEdit->setText(config.defaultRoom);
    m_ui->maxRoomsSpin->setValue(config.limits.maxRooms);
    m_ui->roomsPerClientSpin->setValue(config.limits.maxRoomsPerClient);
    m_ui->topicSpin->setValue(config.limits.maxTopicLength);
    m_ui->announceCheck->setChecked(config.announce);
}

ServerConfig SettingsDialog::config() const
{
    // Settings the dialog does not show (password file, flood control ...) stay as saved.
    ServerConfig config = m_saved;
    config.name = m_ui->nameEdit->text().trimmed();
    config.port = quint16(m_ui->portSpin->value());
    // A free port (tests and scripts only) stays so unless the admin chose one.
    if (config.ircPort != ServerConfig::ircFreePort || m_ui->ircPortSpin->value() != 0)
        config.ircPort = m_ui->ircPortSpin->value();
    const QString bind = m_ui->bindEdit->text().trimmed();
    config.address = bind.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(bind);
    config.limits.maxClients = m_ui->maxClientsSpin->value();
    config.limits.historyLines = m_ui->historySpin->value();
    ServerConfig::parseHistoryKeep(m_ui->historyKeepEdit->text(), &config.limits.historyKeep,
                                   &config.limits.historyKeepDays);
    config.limits.maxLineBytes = m_ui->maxLineSpin->value();
    config.limits.maxSendQueueBytes = qint64(m_ui->sendqSpin->value()) * 1024;
    config.limits.presenceLimit = m_ui->presenceSpin->value();
    const QString room = m_ui->defaultRoomEdit->text().trimmed();
    if (!room.isEmpty())
        config.defaultRoom = RoomName::prepare(room);
    config.limits.maxRooms = m_ui->maxRoomsSpin->value();
    config.limits.maxRoomsPerClient = m_ui->roomsPerClientSpin->value();
    config.limits.maxTopicLength = m_ui->topicSpin->value();
    config.announce = m_ui->announceCheck->isChecked();
    return config;
}

void SettingsDialog::accept()
{
    const QString bind = m_ui->bindEdit->text().trimmed();
    if (!bind.isEmpty() && QHostAddress(bind).isNull()) {
        m_ui->noteLabel->setText(
                tr("“%1” is not an IP address. Leave it empty to listen on all of them.").arg(bind));
        m_ui->bindEdit->setFocus();
        return;
    }
    const QString room = m_ui->defaultRoomEdit->text().trimmed();
    if (!room.isEmpty() && !RoomName::isValid(room)) {
        m_ui->noteLabel->setText(
                tr("Not a room name: %1").arg(RoomName::protocolProblem(RoomName::prepare(room))));
        m_ui->defaultRoomEdit->setFocus();
        return;
    }
    int count = 0;
    int days = 0;
    if (!ServerConfig::parseHistoryKeep(m_ui->historyKeepEdit->text(), &count, &days)) {
        m_ui->noteLabel->setText(tr("Keep a number of messages (5000), or of days (30d)."));
        m_ui->historyKeepEdit->setFocus();
        return;
    }
    QDialog::accept();
}
