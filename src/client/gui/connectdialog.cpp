#include "connectdialog.h"

#include "chatclient.h"
#include "chatlimits.h"
#include "hostport.h"
#include "nickrules.h"
#include "serverbrowser.h"
#include "ui_connectdialog.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QPushButton>
#include <QSettings>
#include <QTimer>
#include <QTreeWidget>

namespace { } // namespace

ConnectDialog::ConnectDialog(ChatClient *client, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::ConnectDialog>()),
      m_client(client),
      m_browser(new ServerBrowser(this))
{
    m_ui->setupUi(this);
    // The servers on the LAN, live: probing and DNS-SD run on the event loop, never blocking it.
    m_ui->foundList->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui->foundList->header()->setStretchLastSection(false);
    for (int column = 1; column < m_ui->foundList->columnCount(); ++column)
        m_ui->foundList->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_ui->foundList->hide();
    connect(m_browser, &QAbstractItemModel::rowsInserted, this, &ConnectDialog::refreshFound);
    connect(m_browser, &QAbstractItemModel::rowsRemoved, this, &ConnectDialog::refreshFound);
    connect(m_browser, &QAbstractItemModel::dataChanged, this, &ConnectDialog::refreshFound);
    connect(m_browser, &QAbstractItemModel::modelReset, this, &ConnectDialog::refreshFound);
    connect(m_ui->foundList, &QTreeWidget::itemClicked, this,
            [this](QTreeWidgetItem *item) { pickFound(m_ui->foundList->indexOfTopLevelItem(item)); });
    connect(m_ui->foundList, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { pickFound(m_ui->foundList->indexOfTopLevelItem(item)); });
    m_browser->start();
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    // The rule is the one the server applies (NickRules), in one string; the field is too
    // narrow for all of it.
    m_ui->nickEdit->setPlaceholderText(tr("your name, as others see it"));
    m_ui->nickEdit->setToolTip(tr("A nick is %1.").arg(NickRules::ruleText()));
    m_ui->messageLabel->hide();
    m_ui->forgetCertificateButton->hide();
    // The usual ports follow the choice, a port of one's own stays.
    connect(m_ui->tlsCheck, &QCheckBox::toggled, this, [this](bool on) {
        if (on && m_ui->portSpin->value() == 6666)
            m_ui->portSpin->setValue(ChatLimits::defaultTlsPort);
        else if (!on && m_ui->portSpin->value() == ChatLimits::defaultTlsPort)
            m_ui->portSpin->setValue(6666);
    });
    connect(m_ui->forgetCertificateButton, &QPushButton::clicked, this, [this] {
        const QString host = m_ui->hostCombo->currentText().trimmed();
        ChatConnection::forgetPin(host, quint16(m_ui->portSpin->value()));
        m_ui->forgetCertificateButton->hide();
        m_ui->fingerprintLabel->hide();
        showMessage(tr("The certificate of %1 port %2 is forgotten: the next one it shows is trusted. Check "
                       "its fingerprint with the server's admin.")
                            .arg(host)
                            .arg(m_ui->portSpin->value()),
                    false);
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(m_ui->hostCombo, &QComboBox::activated, this, [this](int index) {
        const QVariant port = m_ui->hostCombo->itemData(index);
        if (port.isValid())
            m_ui->portSpin->setValue(port.toInt());
    });
    connect(m_client->connection(), &ChatConnection::welcomed, this, &ConnectDialog::onWelcomed);
    connect(m_client->connection(), &ChatConnection::connectFailed, this, &ConnectDialog::showFailure);
    loadSettings();
    // The server this client is on (or was last on) comes first: that is what one reconnects
    // to, or changes a little.
    const ChatConnection *connection = m_client->connection();
    if (!connection->host().isEmpty())
        setServer(connection->host(), connection->port(), connection->nick());
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::refreshFound()
{
    QTreeWidget *list = m_ui->foundList;
    const QString selected =
            list->currentItem() ? list->currentItem()->data(0, Qt::UserRole).toString() : QString();
    list->clear();
    for (int row = 0; row < m_browser->rowCount(); ++row) {
        const DiscoveredServer server = m_browser->server(row);
        const ServerAnnouncement &a = server.announcement;
        auto *item = new QTreeWidgetItem(list);
        item->setText(0, a.name);
        item->setText(1, HostPort{ server.host, a.port }.toString());
        item->setText(2, a.tlsPort != 0 ? tr("yes (port %1)").arg(a.tlsPort) : tr("no"));
        item->setText(3, a.passwordNeeded ? tr("needed") : tr("none"));
        item->setText(4, a.online >= 0 ? QString::number(a.online) : QString());
        item->setToolTip(0, a.name);
        const QString key = HostPort{ server.host, a.port }.toString();
        item->setData(0, Qt::UserRole, key);
        if (key == selected)
            list->setCurrentItem(item);
    }
    list->setVisible(list->topLevelItemCount() > 0);
    m_ui->foundEmptyLabel->setVisible(list->topLevelItemCount() == 0);
}

void ConnectDialog::pickFound(int row)
{
    if (row < 0 || row >= m_browser->rowCount())
        return;
    const DiscoveredServer server = m_browser->server(row);
    const ServerAnnouncement &a = server.announcement;
    const bool tls = a.tlsPort != 0;
    m_ui->hostCombo->setEditText(server.host);
    // Before the port: the check box moves the usual ports along.
    m_ui->tlsCheck->setChecked(tls);
    m_ui->portSpin->setValue(tls ? a.tlsPort : a.port);
    m_pickedHost = server.host;
    m_pickedPort = tls ? a.tlsPort : a.port;
    m_pickedFingerprint = tls ? a.fingerprint : QString();
    m_ui->passwordEdit->setPlaceholderText(a.passwordNeeded ? tr("this server asks for a password")
                                                            : tr("only if the server asks for one"));
    (m_ui->nickEdit->text().isEmpty() || !a.passwordNeeded ? m_ui->nickEdit : m_ui->passwordEdit)->setFocus();
}

void ConnectDialog::setServer(const QString &host, quint16 port, const QString &nick)
{
    m_ui->hostCombo->setEditText(host);
    m_ui->portSpin->setValue(port);
    m_ui->nickEdit->setText(nick);
    m_ui->tlsCheck->setChecked(m_client->connection()->usesTls());
}

QString ConnectDialog::fingerprintLines(const QString &title, const QString &fingerprint, qsizetype width)
{
    // "AB:CD:..." of 32 bytes: two lines of 16 ("AB:CD:" is 3 characters a byte).
    constexpr qsizetype lineCharacters = 16 * 3;
    QStringList lines;
    for (qsizetype at = 0; at < fingerprint.size(); at += lineCharacters) {
        QString part = fingerprint.mid(at, lineCharacters);
        if (part.endsWith(u':'))
            part.chop(1);
        lines.append((lines.isEmpty() ? title : QString()).leftJustified(width) + part);
    }
    if (lines.isEmpty())
        lines.append(title.leftJustified(width) + u'-');
    return lines.join(u'\n');
}

void ConnectDialog::showError(const QString &text)
{
    showMessage(text, true);
}

void ConnectDialog::showMessage(const QString &text, bool error)
{
    m_ui->messageLabel->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
    m_ui->messageLabel->setText(text);
    m_ui->messageLabel->setVisible(!text.isEmpty());
    // Long explanations (a changed certificate's) must not squeeze the fields: once the
    // layout has taken in the new text (a queued LayoutRequest), the dialog grows to fit it.
    if (isVisible()) {
        QTimer::singleShot(0, this, [this] {
            layout()->activate();
            const int width = qMax(this->width(), sizeHint().width());
            resize(width, qMax(height(), layout()->totalHeightForWidth(width)));
        });
    }
}

void ConnectDialog::accept()
{
    if (m_busy)
        return;
    const QString host = m_ui->hostCombo->currentText().trimmed();
    const QString nick = m_ui->nickEdit->text().trimmed();
    if (host.isEmpty()) {
        showError(tr("Enter the name or address of the server."));
        m_ui->hostCombo->setFocus();
        return;
    }
    if (nick.isEmpty()) {
        showError(tr("Enter the nick others will know you by. A nick is %1.").arg(NickRules::ruleText()));
        m_ui->nickEdit->setFocus();
        return;
    }
    if (!NickRules::isValid(nick)) {
        showError(NickRules::problemSentence(NickRules::prepare(nick)) + u' ' +
                  tr("A nick is %1.").arg(NickRules::ruleText()));
        m_ui->nickEdit->setFocus();
        return;
    }
    // Several servers of one cluster: "host, host2:6667, ..."; the first is tried first.
    const auto servers = HostPort::parseList(host, quint16(m_ui->portSpin->value()));
    if (servers.isEmpty()) {
        showError(tr("Enter the server as a name or address, or several servers of one cluster separated by "
                     "commas (host, host2:6667)."));
        m_ui->hostCombo->setFocus();
        return;
    }
    setBusy(true);
    m_ui->forgetCertificateButton->hide();
    m_client->connection()->setTls(m_ui->tlsCheck->isChecked());
    // A server picked from the list announced its certificate: the first connection must show
    // that one (trusted on first sight, not on first use).
    if (m_ui->tlsCheck->isChecked() && !m_pickedFingerprint.isEmpty() &&
        servers.first().host == m_pickedHost && servers.first().port == m_pickedPort)
        ChatConnection::pinIfUnpinned(m_pickedHost, m_pickedPort, m_pickedFingerprint);
    m_client->connection()->setAlternativeServers(servers.mid(1));
    showMessage(tr("Connecting to %1 port %2…").arg(servers.first().host).arg(servers.first().port), false);
    m_client->connection()->connectToServer(servers.first().host, servers.first().port, nick,
                                            m_ui->passwordEdit->text());
}

void ConnectDialog::reject()
{
    if (m_busy)
        m_client->connection()->disconnectFromServer();
    setBusy(false);
    QDialog::reject();
}

void ConnectDialog::onWelcomed()
{
    if (!m_busy)
        return;
    setBusy(false);
    saveSettings();
    QDialog::accept();
}

void ConnectDialog::showFailure(ChatConnection::Failure failure, const QString &explanation)
{
    setBusy(false);
    const bool certificateChanged = failure == ChatConnection::Failure::CertificateChanged;
    // The fingerprints must be compared character by character: in a box of their own, each
    // whole, in a fixed-width font, in groups of 16 bytes one under the other, and selectable
    // for copying; the warning above them wraps as prose.
    m_ui->fingerprintLabel->setVisible(certificateChanged);
    if (certificateChanged) {
        const QString now = m_client->connection()->certificateFingerprint();
        const QString trusted = ChatConnection::pinnedFingerprint(m_client->connection()->host(),
                                                                  m_client->connection()->port());
        const QString nowTitle = tr("Now:");
        const QString trustedTitle = tr("Trusted:");
        const qsizetype width = qMax(nowTitle.size(), trustedTitle.size()) + 1;
        QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        if (!QFontInfo(fixed).fixedPitch()) { // a platform theme without one (offscreen)
            fixed.setFamilies({ QStringLiteral("DejaVu Sans Mono"), QStringLiteral("monospace") });
            fixed.setStyleHint(QFont::Monospace);
        }
        m_ui->fingerprintLabel->setFont(fixed);
        m_ui->fingerprintLabel->setText(fingerprintLines(nowTitle, now, width) + u'\n' +
                                        fingerprintLines(trustedTitle, trusted, width));
        showError(explanation.section(u'\n', 0, 0));
    } else {
        showError(explanation);
    }
    m_ui->forgetCertificateButton->setVisible(certificateChanged);
    if (failure == ChatConnection::Failure::PasswordRequired ||
        failure == ChatConnection::Failure::BadPassword) {
        m_ui->passwordEdit->setFocus();
        m_ui->passwordEdit->selectAll();
    } else if (failure == ChatConnection::Failure::NickTaken ||
               failure == ChatConnection::Failure::InvalidNick) {
        m_ui->nickEdit->setFocus();
        m_ui->nickEdit->selectAll();
    } else {
        m_ui->hostCombo->setFocus();
    }
}

void ConnectDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_ui->hostCombo->setEnabled(!busy);
    m_ui->portSpin->setEnabled(!busy);
    m_ui->nickEdit->setEnabled(!busy);
    m_ui->passwordEdit->setEnabled(!busy);
    m_ui->tlsCheck->setEnabled(!busy);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
}

void ConnectDialog::loadSettings()
{
    QSettings settings;
    const QStringList recent = settings.value(QStringLiteral("connect/recent")).toStringList();
    for (const QString &key : recent) {
        if (const std::optional<HostPort> server = HostPort::parse(key, 0); server && server->port > 0)
            m_ui->hostCombo->addItem(server->toString(), server->port);
    }
    // The list shows host:port; the edit field wants the host alone.
    connect(m_ui->hostCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            m_ui->hostCombo->setEditText(HostPort::parse(m_ui->hostCombo->itemText(index), 0)->host);
    });
    const QString defaultNick = qEnvironmentVariable("USER").left(32);
    m_ui->hostCombo->setEditText(
            settings.value(QStringLiteral("connect/host"), QStringLiteral("localhost")).toString());
    // Before the port: checking the box would move the port.
    m_ui->tlsCheck->setChecked(settings.value(QStringLiteral("connect/tls"), false).toBool());
    m_ui->portSpin->setValue(settings.value(QStringLiteral("connect/port"), 6666).toInt());
    m_ui->nickEdit->setText(settings.value(QStringLiteral("connect/nick"),
                                           NickRules::isValid(defaultNick) ? defaultNick : QString())
                                    .toString());
}

void ConnectDialog::saveSettings()
{
    rememberServer(m_ui->hostCombo->currentText().trimmed(), m_ui->portSpin->value(),
                   m_ui->tlsCheck->isChecked(), m_client->connection()->nick());
}

void ConnectDialog::rememberServer(const QString &host, int port, bool tls, const QString &nick)
{
    QSettings settings;
    settings.setValue(QStringLiteral("connect/host"), host);
    settings.setValue(QStringLiteral("connect/port"), port);
    settings.setValue(QStringLiteral("connect/tls"), tls);
    settings.setValue(QStringLiteral("connect/nick"), nick);
    QStringList recent = settings.value(QStringLiteral("connect/recent")).toStringList();
    const QString key = HostPort{ host, quint16(port) }.toString();
    recent.removeAll(key);
    recent.prepend(key);
    settings.setValue(QStringLiteral("connect/recent"), recent.mid(0, maxRecentServers));
    // On disk now: a client that is killed rather than quit still remembers.
    settings.sync();
}
