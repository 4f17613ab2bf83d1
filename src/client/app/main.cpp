// groupchat-client: the desktop chat window.
#include "chatclient.h"
#include "clientpreferences.h"
#include "connectdialog.h"
#include "mainwindow.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QSettings>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("groupchat-client"));
    QApplication::setOrganizationName(QStringLiteral("groupchat"));
    QApplication::setApplicationVersion(QStringLiteral(GROUPCHAT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("groupchat-client"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/groupchat.png")));
    // A language chosen in Preferences wins over the system's (read before the translations).
    const ClientPreferences preferences = ClientPreferences::load(QSettings());
    if (!preferences.language.isEmpty())
        QLocale::setDefault(QLocale(preferences.language));
    Translations::install(app, QStringLiteral("groupchat"));
    // The suffix of every window title, in the user's language: after the translator.
    QApplication::setApplicationDisplayName(QApplication::translate("main", "groupchat"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "The groupchat desktop client."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOption(
            QStringLiteral("host"),
            QApplication::translate("main",
                                    "Connect to <host> at once, skipping the dialog; several servers of "
                                    "one cluster: host1,host2:port,..."),
            QStringLiteral("host"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QApplication::translate("main", "Server port (default 6666)."),
                                        QStringLiteral("port"), QStringLiteral("6666"));
    const QCommandLineOption nickOption(QStringLiteral("nick"), QApplication::translate("main", "Your nick."),
                                        QStringLiteral("nick"));
    const QCommandLineOption tlsOption(
            QStringLiteral("tls"),
            QApplication::translate("main",
                                    "Encrypt the connection (TLS; servers usually offer it on port 6697)."));
    parser.addOptions({ hostOption, portOption, nickOption, tlsOption });
    parser.process(app);

    ChatClient client;
    MainWindow window(&client);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (parser.isSet(hostOption) && portOk && port > 0 && port < 65536) {
        QString nick = parser.value(nickOption);
        if (nick.isEmpty())
            nick = qEnvironmentVariable("USER");
        window.show();
        client.connection()->setTls(parser.isSet(tlsOption));
        // --host a,b:6667,c: the servers of one cluster, tried in turn.
        const auto servers = HostPort::parseList(parser.value(hostOption), quint16(port));
        if (servers.isEmpty()) {
            std::fprintf(stderr, "groupchat-client: --host takes host[:port][,host[:port]...]\n");
            return 2;
        }
        client.connection()->setAlternativeServers(servers.mid(1));
        client.connection()->connectToServer(servers.first().host, servers.first().port, nick);
    } else {
        // Started from the launcher: the question comes first, the chat window once there is
        // a chat to show; cancelling it leaves.
        auto *dialog = new ConnectDialog(&client);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(dialog, &QDialog::accepted, &window, &QWidget::show);
        QObject::connect(dialog, &QDialog::rejected, &app, &QCoreApplication::quit);
        dialog->show();
    }
    return app.exec();
}
