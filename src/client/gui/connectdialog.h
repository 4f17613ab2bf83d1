#pragma once

#include "chatconnection.h"

#include <QDialog>

#include <memory>

class ChatClient;
class ServerBrowser;
namespace Ui {
class ConnectDialog;
}

// Asks where to connect and as whom, remembers it (and earlier servers) with QSettings, and
// stays open until the server welcomes us, saying in plain words why when it does not.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(ChatClient *client, QWidget *parent = nullptr);
    ~ConnectDialog() override;

    void setServer(const QString &host, quint16 port, const QString &nick);
    // Shows why the last attempt failed and puts the cursor where the fix goes.
    void showFailure(ChatConnection::Failure failure, const QString &explanation);

    static constexpr int maxRecentServers = 8;

    // The servers found on the LAN that the dialog lists (started with the dialog).
    ServerBrowser *serverBrowser() const { return m_browser; }

    // Remembers a server connected to (the dialog's next defaults, and first of the recent
    // ones), at once on disk: also when the connection was made without the dialog.
    static void rememberServer(const QString &host, int port, bool tls, const QString &nick);

public Q_SLOTS:
    void accept() override;
    void reject() override;

private:
    // title, then fingerprint ("AB:CD:...") in lines of 16 bytes, the first after title padded to
    // width characters, the others indented as far.
    static QString fingerprintLines(const QString &title, const QString &fingerprint, qsizetype width);
    void onWelcomed();
    // The list of servers found, again from m_browser (a few at most; kept selected by key).
    void refreshFound();
    // Fills host, port and TLS from the found server in row (of m_browser).
    void pickFound(int row);
    void setBusy(bool busy);
    void showError(const QString &text);
    void showMessage(const QString &text, bool error);
    void loadSettings();
    void saveSettings();

    std::unique_ptr<Ui::ConnectDialog> m_ui;
    ChatClient *m_client;
    ServerBrowser *m_browser;
    // The fingerprint a picked server announced, for the host and port it filled in: pinned
    // on connecting when nothing is pinned there yet.
    QString m_pickedHost;
    quint16 m_pickedPort = 0;
    QString m_pickedFingerprint;
    bool m_busy = false;
};
