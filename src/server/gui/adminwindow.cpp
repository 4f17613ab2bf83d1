#include "adminwindow.h"

#include "banlistmodel.h"
#include "clientlistmodel.h"
#include "logcollector.h"
#include "roomactiondialog.h"
#include "roomlistmodel.h"
#include "serverservice.h"
#include "settingsdialog.h"
#include "ui_adminwindow.h"

#include <QCloseEvent>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTimer>

#include <numeric>

namespace {

constexpr int rateWindowSeconds = 5;

QString uptimeText(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds / 3600 % 24;
    const qint64 minutes = seconds / 60 % 60;
    if (days > 0)
        return AdminWindow::tr("up %1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return AdminWindow::tr("up %1 h %2 min").arg(hours).arg(minutes);
    return AdminWindow::tr("up %1 min %2 s").arg(minutes).arg(seconds % 60);
}

} // namespace

AdminWindow::AdminWindow(ServerService *service, LogCollector *log, std::function<ServerConfig()> config,
                         const QStringList &overridden, QWidget *parent)
    : QMainWindow(parent),
      m_ui(std::make_unique<Ui::AdminWindow>()),
      m_service(service),
      m_config(std::move(config)),
      m_overridden(overridden),
      m_model(new ClientListModel(service->server(), this)),
      m_banModel(new BanListModel(service->server(), this)),
      m_roomModel(new RoomListModel(service->server(), this)),
      m_sorted(new QSortFilterProxyModel(this)),
      m_sortedRooms(new QSortFilterProxyModel(this)),
      m_stateLabel(new QLabel(this)),
      m_clientsLabel(new QLabel(this)),
      m_uptimeLabel(new QLabel(this)),
      m_rateLabel(new QLabel(this))
{
    m_ui->setupUi(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(ClientListModel::SortRole);
    m_sorted->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_ui->clientTable->setModel(m_sorted);
    m_ui->clientTable->sortByColumn(ClientListModel::ConnectedSince, Qt::AscendingOrder);
    m_ui->clientTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->clientTable->horizontalHeader()->setStretchLastSection(true);
    m_ui->clientTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_ui->splitter->setSizes({ 380, 200 });
    m_ui->banTable->setModel(m_banModel);
    m_ui->banTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Room for an IPv6 address before the content says so.
    m_ui->banTable->horizontalHeader()->setMinimumSectionSize(
            fontMetrics().horizontalAdvance(QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) / 2);
    m_ui->banTable->horizontalHeader()->setStretchLastSection(true);
    m_ui->banTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_sortedRooms->setSourceModel(m_roomModel);
    m_sortedRooms->setSortRole(RoomListModel::SortRole);
    m_sortedRooms->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_ui->roomTable->setModel(m_sortedRooms);
    m_ui->roomTable->sortByColumn(RoomListModel::People, Qt::DescendingOrder);
    m_ui->roomTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->roomTable->horizontalHeader()->setStretchLastSection(true);
    m_ui->roomTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    connect(m_ui->roomNoticeButton, &QPushButton::clicked, this, [this] { sendNotice(selectedRoom()); });
    connect(m_ui->closeRoomButton, &QPushButton::clicked, this, &AdminWindow::closeSelectedRoom);
    connect(m_ui->roomTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AdminWindow::updateState);
    connect(m_roomModel, &QAbstractItemModel::modelReset, this, &AdminWindow::updateState);
    // From the Bans tab nothing is picked for the admin: the Clients tab's selection is out of sight.
    connect(m_ui->banButton, &QPushButton::clicked, this, [this] { banAddress(false); });
    connect(m_ui->liftBanButton, &QPushButton::clicked, this, &AdminWindow::liftSelectedBans);
    connect(m_ui->banTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AdminWindow::updateState);
    connect(m_banModel, &QAbstractItemModel::modelReset, this, &AdminWindow::updateState);

    m_stateLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_clientsLabel);
    statusBar()->addPermanentWidget(m_uptimeLabel);
    statusBar()->addPermanentWidget(m_rateLabel);

    connect(m_ui->actionStart, &QAction::triggered, this, &AdminWindow::startService);
    connect(m_ui->actionStop, &QAction::triggered, this, &AdminWindow::stopService);
    connect(m_ui->actionSettings, &QAction::triggered, this, &AdminWindow::showSettings);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionKick, &QAction::triggered, this, &AdminWindow::kickSelected);
    connect(m_ui->actionBan, &QAction::triggered, this, [this] { banAddress(true); });
    connect(m_ui->actionUnban, &QAction::triggered, this, &AdminWindow::liftBan);
    connect(m_ui->actionNotice, &QAction::triggered, this, [this] { sendNotice(); });
    connect(m_ui->actionAbout, &QAction::triggered, this, &AdminWindow::showAbout);
    connect(m_ui->actionAboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    connect(m_ui->clientTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AdminWindow::updateState);

    connect(m_service, &ServerService::stateChanged, this, &AdminWindow::updateState);
    connect(m_service, &ServerService::stopped, this, [this] {
        updateState();
        if (m_closeWhenStopped)
            close();
    });

    if (log) {
        for (const QString &line : log->lines())
            appendLog(line, false);
        connect(log, &LogCollector::lineLogged, this, &AdminWindow::appendLog);
    }

    auto *clock = new QTimer(this);
    connect(clock, &QTimer::timeout, this, &AdminWindow::sampleRate);
    clock->start(1000);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_ui->splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    updateState();
}

AdminWindow::~AdminWindow() = default;

bool AdminWindow::startService()
{
    if (m_service->isRunning())
        return false;
    // The service logs why it cannot start, and the log is shown here.
    if (!m_service->start(m_config())) {
        updateState();
        return false;
    }
    m_lastMessageId = m_service->lastMessageId();
    m_messagesPerSecond.clear();
    updateState();
    return true;
}

void AdminWindow::stopService()
{
    m_service->stop();
    updateState();
}

void AdminWindow::stopAndClose()
{
    if (!m_service->isRunning()) {
        m_closeWhenStopped = false;
        close();
        return;
    }
    m_closeWhenStopped = true;
    stopService();
}

void AdminWindow::closeEvent(QCloseEvent *event)
{
    if (!m_service->isRunning()) {
        QSettings settings;
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
        settings.setValue(QStringLiteral("window/splitter"), m_ui->splitter->saveState());
        event->accept();
        return;
    }
    event->ignore();
    if (m_closeWhenStopped)
        return; // already stopping on the way out
    // Nobody to tell or to cut off: no question.
    if (m_service->clientCount() == 0) {
        stopAndClose();
        return;
    }
    auto *question =
            new QMessageBox(QMessageBox::Question, tr("Stop the server?"),
                            tr("The service is running with %n client(s) connected. Closing this window "
                               "stops it: everyone is told the server is shutting down.",
                               nullptr, m_service->clientCount()),
                            QMessageBox::Cancel, this);
    question->setObjectName(QStringLiteral("closeQuestion"));
    QPushButton *stop = question->addButton(tr("Stop and Close"), QMessageBox::DestructiveRole);
    question->setDefaultButton(QMessageBox::Cancel);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::finished, this, [this, question, stop] {
        if (question->clickedButton() == static_cast<QAbstractButton *>(stop))
            stopAndClose();
    });
    question->open();
}

QList<quint64> AdminWindow::selectedClients() const
{
    QList<quint64> clients;
    for (const QModelIndex &row : m_ui->clientTable->selectionModel()->selectedRows()) {
        if (const quint64 id = m_model->clientId(m_sorted->mapToSource(row)))
            clients.append(id);
    }
    return clients;
}

void AdminWindow::kickSelected()
{
    QList<quint64> targets;
    QStringList nicks;
    // Out of the whole server, or out of one of the rooms they are in.
    QStringList rooms;
    for (const QModelIndex &row : m_ui->clientTable->selectionModel()->selectedRows()) {
        const QModelIndex source = m_sorted->mapToSource(row);
        const quint64 id = m_model->clientId(source);
        if (id == 0)
            continue;
        targets.append(id);
        nicks.append(source.data(ClientListModel::NickRole).toString());
        for (const QString &room : source.data(ClientListModel::RoomsRole).toStringList())
            if (!rooms.contains(room))
                rooms.append(room);
    }
    if (targets.isEmpty())
        return;
    auto *dialog = new RoomActionDialog(
            tr("Kick"), tr("Kick %1? They see this reason.").arg(QLocale().createSeparatedList(nicks)),
            tr("The whole server (disconnect)"), rooms, selectedRoom(), this);
    dialog->setObjectName(QStringLiteral("kickDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setOkText(tr("Kick"));
    // The server says "kicked by the admin" itself: the field is for why.
    dialog->setPlaceholderText(tr("why (they see it; may be left empty)"));
    connect(dialog, &RoomActionDialog::chosen, this,
            [this, targets](const QString &reason, const QString &room) {
                // Anyone who left meanwhile is simply gone: the service knows no such id.
                for (const quint64 id : targets)
                    m_service->kick(id, reason.trimmed(), room);
            });
    dialog->open();
}

namespace {

// Input dialogs wide enough for their title in the window frame and a sentence of text: at
// their own size hint Qt's input dialogs cut the title and leave a tiny field.
void fitToText(QDialog *dialog)
{
    const QFontMetrics metrics = dialog->fontMetrics();
    dialog->setMinimumWidth(
            qMax(metrics.averageCharWidth() * 60, metrics.horizontalAdvance(dialog->windowTitle()) * 2));
    dialog->resize(qMax(dialog->sizeHint().width(), dialog->minimumWidth()), dialog->sizeHint().height());
}

} // namespace

void AdminWindow::banAddress(bool fromSelection)
{
    const QList<quint64> selected = fromSelection ? selectedClients() : QList<quint64>();
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("banDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Ban Address"));
    dialog->setOkButtonText(tr("Ban"));
    // Who else the ban hits is said before it is given: a whole office may share one address.
    const auto describe = [this, dialog](const QString &text) {
        dialog->setLabelText(tr("Disconnect every client from this address and refuse it from now on:") +
                             u"\n\n" + banConsequence(text));
    };
    connect(dialog, &QInputDialog::textValueChanged, this, describe);
    if (!selected.isEmpty())
        dialog->setTextValue(m_service->addressOf(selected.constFirst()).toString());
    describe(dialog->textValue());
    fitToText(dialog);
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &text) {
        const QHostAddress address(text.trimmed());
        if (address.isNull()) {
            appendLog(tr("Not banned: “%1” is not an IP address.").arg(text.trimmed()), true);
            return;
        }
        m_service->ban(address);
        updateState();
    });
    dialog->open();
}

QString AdminWindow::banConsequence(const QString &text) const
{
    const QHostAddress address(text.trimmed());
    if (address.isNull())
        return tr("Enter an IPv4 or IPv6 address.");
    if (m_service->isBanned(address))
        return tr("This address is banned already.");
    const QStringList nicks = m_service->nicksFrom(address);
    if (nicks.isEmpty())
        return tr("No client is connected from this address now.");
    return tr("Connected from this address now, and disconnected by the ban: %1")
            .arg(QLocale().createSeparatedList(nicks));
}

void AdminWindow::liftSelectedBans()
{
    QList<QHostAddress> addresses;
    for (const QModelIndex &row : m_ui->banTable->selectionModel()->selectedRows())
        addresses.append(m_banModel->address(row));
    if (addresses.isEmpty()) {
        liftBan();
        return;
    }
    for (const QHostAddress &address : std::as_const(addresses))
        m_service->unban(address);
}

void AdminWindow::liftBan()
{
    QStringList bans;
    for (const QHostAddress &address : m_service->bans())
        bans.append(address.toString());
    if (bans.isEmpty()) {
        appendLog(tr("No address is banned."), false);
        return;
    }
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("unbanDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Lift Ban"));
    dialog->setOkButtonText(tr("Lift Ban"));
    dialog->setLabelText(tr("Let this address connect again:"));
    dialog->setComboBoxItems(bans);
    fitToText(dialog);
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &text) {
        m_service->unban(QHostAddress(text));
        updateState();
    });
    dialog->open();
}

void AdminWindow::sendNotice(const QString &room)
{
    const QStringList rooms = m_service->roomNames();
    auto *dialog = new RoomActionDialog(tr("Send Notice"),
                                        tr("A notice from the admin, shown to everyone it is for:"),
                                        tr("Everyone connected"), rooms, room, this);
    dialog->setObjectName(QStringLiteral("noticeDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setOkText(tr("Send"));
    connect(dialog, &RoomActionDialog::chosen, m_service,
            [service = m_service](const QString &text, const QString &to) { service->sendNotice(text, to); });
    dialog->open();
}

QString AdminWindow::selectedRoom() const
{
    const QModelIndexList rows = m_ui->roomTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_roomModel->room(m_sortedRooms->mapToSource(rows.constFirst()));
}

void AdminWindow::closeSelectedRoom()
{
    const QString room = selectedRoom();
    if (room.isEmpty() || room == m_service->defaultRoom())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("closeRoomDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Close Room"));
    dialog->setOkButtonText(tr("Close Room"));
    dialog->setLabelText(tr("Close %1? Everyone in it is told why and leaves it; those in no other room are "
                            "put in %2. Its history is deleted.")
                                 .arg(room, m_service->defaultRoom()));
    dialog->setTextValue(QString());
    fitToText(dialog);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, room](const QString &reason) {
        if (!m_service->closeRoom(room, reason))
            appendLog(tr("%1 is gone already.").arg(room), false);
    });
    dialog->open();
}

void AdminWindow::showSettings()
{
    auto *dialog = new SettingsDialog(ServerConfig::load(QSettings()), m_overridden, this);
    dialog->setObjectName(QStringLiteral("settingsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QSettings settings;
        dialog->config().save(settings);
        appendLog(tr("Settings saved; they apply the next time the service starts."), false);
    });
    dialog->open();
}

void AdminWindow::showAbout()
{
    QMessageBox::about(
            this, tr("About groupchat server"),
            tr("<h3>groupchat server %1</h3><p>A small, fast group chat for teams and LANs.</p>"
               "<p>Clients join with the groupchat desktop client, or with <tt>nc HOST PORT</tt>.</p>")
                    .arg(QCoreApplication::applicationVersion()));
}

void AdminWindow::appendLog(const QString &line, bool isWarning)
{
    QTextCharFormat format;
    if (isWarning)
        format.setForeground(QColor(192, 57, 43));
    QTextCursor cursor(m_ui->logView->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_ui->logView->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertText(line, format);
    m_ui->logView->verticalScrollBar()->setValue(m_ui->logView->verticalScrollBar()->maximum());
}

void AdminWindow::updateState()
{
    const bool listening = m_service->isListening();
    const bool stopping = m_service->isStopping();
    m_ui->actionStart->setEnabled(!listening && !stopping && m_service->clientCount() == 0);
    m_ui->actionStop->setEnabled(listening && !stopping);
    m_ui->actionKick->setEnabled(!selectedClients().isEmpty());
    m_ui->actionUnban->setEnabled(!m_service->bans().isEmpty());
    m_ui->liftBanButton->setEnabled(!m_service->bans().isEmpty());
    m_ui->tabs->setTabText(m_ui->tabs->indexOf(m_ui->clientsTab),
                           tr("Clients (%1)").arg(m_service->clientCount()));
    m_ui->tabs->setTabText(m_ui->tabs->indexOf(m_ui->bansTab), tr("Bans (%1)").arg(m_service->bans().size()));
    m_ui->tabs->setTabText(m_ui->tabs->indexOf(m_ui->roomsTab),
                           tr("Rooms (%1)").arg(m_roomModel->rowCount()));
    const QString room = selectedRoom();
    m_ui->roomNoticeButton->setEnabled(m_service->clientCount() > 0);
    m_ui->closeRoomButton->setEnabled(!room.isEmpty() && room != m_service->defaultRoom());
    m_ui->actionNotice->setEnabled(m_service->clientCount() > 0);

    if (listening) {
        const QHostAddress &address = m_service->config().address;
        QString where = address.toString();
        if (address == QHostAddress::Any || address == QHostAddress::AnyIPv6)
            where = tr("every IPv4 and IPv6 address");
        else if (address == QHostAddress::AnyIPv4)
            where = tr("every IPv4 address");
        // IRC clients have a port of their own.
        const QString irc =
                m_service->ircPort() != 0 ? tr(", IRC on port %1").arg(m_service->ircPort()) : QString();
        const QString ircNote = m_service->ircPort() != 0
                                        ? u'\n' + tr("IRC clients (HexChat, irssi, WeeChat) connect to port "
                                                     "%1 of the same addresses")
                                                          .arg(m_service->ircPort())
                                        : QString();
        if (m_service->tlsPort() != 0) {
            m_stateLabel->setText(tr("Listening on %1, port %2, TLS on port %3%4")
                                          .arg(where)
                                          .arg(m_service->port())
                                          .arg(m_service->tlsPort())
                                          .arg(irc));
            m_ui->addressLabel->setText(
                    tr("Clients connect to: %1\nTLS certificate fingerprint (SHA-256): %2")
                            .arg(m_service->reachableAt().join(QStringLiteral("   ")),
                                 m_service->tlsFingerprint()) +
                    ircNote);
        } else {
            m_stateLabel->setText(
                    tr("Listening on %1, port %2%3").arg(where).arg(m_service->port()).arg(irc));
            m_ui->addressLabel->setText(
                    tr("Clients connect to: %1").arg(m_service->reachableAt().join(QStringLiteral("   "))) +
                    ircNote);
        }
        if (const ServerService::ClusterStatus cluster = m_service->clusterStatus(); cluster.joined) {
            const QString redis = cluster.address;
            m_ui->addressLabel->setText(
                    m_ui->addressLabel->text() + u'\n' +
                    (cluster.healthy
                             ? tr("Cluster %1: connected; %n server(s): %2", nullptr,
                                  int(cluster.servers.size()))
                                       .arg(redis, cluster.servers.join(QStringLiteral(", ")))
                             : tr("Cluster %1: degraded, Redis is unreachable; what clients say waits and is "
                                  "delivered when it is back")
                                       .arg(redis)));
        }
        m_ui->addressLabel->setText(m_ui->addressLabel->text() + u'\n' + announcementText());
    } else {
        m_stateLabel->setText(stopping ? tr("Stopping…") : tr("Stopped"));
        m_ui->addressLabel->setText(
                tr("The service is stopped: nobody can connect. Server › Start Service listens again."));
    }
    m_clientsLabel->setText(tr("%n client(s)", nullptr, m_service->clientCount()));
    // Qt adds the program's name ("— groupchat server") to the title itself.
    setWindowTitle(listening ? tr("Port %1").arg(m_service->port()) : tr("Stopped"));
    updateClock();
}

QString AdminWindow::announcementText() const
{
    const bool dnsSd = m_service->isAnnouncedByDnsSd();
    const bool udp = m_service->discoveryPort() != 0;
    if (dnsSd && udp)
        return tr("Announced on the LAN: DNS-SD (Avahi) and discovery probes on UDP port %1")
                .arg(m_service->discoveryPort());
    if (dnsSd)
        return tr("Announced on the LAN by DNS-SD (Avahi)");
    if (udp)
        return tr("Announced on the LAN by discovery probes on UDP port %1 (no DNS-SD: no avahi-daemon)")
                .arg(m_service->discoveryPort());
    return m_service->config().announce ? tr("Not announced on the LAN: see the log")
                                        : tr("Not announced on the LAN (switched off)");
}

void AdminWindow::sampleRate()
{
    const quint64 last = m_service->lastMessageId();
    m_messagesPerSecond.push_back(last - qMin(last, m_lastMessageId));
    m_lastMessageId = last;
    while (m_messagesPerSecond.size() > rateWindowSeconds)
        m_messagesPerSecond.pop_front();
    updateClock();
}

void AdminWindow::updateClock()
{
    const QDateTime since = m_service->listeningSince();
    m_uptimeLabel->setText(since.isValid() ? uptimeText(since.secsTo(QDateTime::currentDateTimeUtc()))
                                           : QString());
    const quint64 total = std::accumulate(m_messagesPerSecond.begin(), m_messagesPerSecond.end(), quint64(0));
    const double rate =
            m_messagesPerSecond.empty() ? 0.0 : double(total) / double(m_messagesPerSecond.size());
    m_rateLabel->setText(tr("%1 msg/s").arg(QLocale().toString(rate, 'f', 1)));
}
