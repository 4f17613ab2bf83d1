#include "adminwindow.h"
#include "chatclient.h"
#include "chatserver.h"
#include "connectdialog.h"
#include "conversationview.h"
#include "joinroomdialog.h"
#include "logcollector.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "searchdialog.h"
#include "serverconfig.h"
#include "serverservice.h"
#include "settingsdialog.h"
#include "testclient.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QGroupBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

// Issue 15: under a Chinese locale some of what the windows show was English. Every window
// is opened in zh_CN with the programs' own translations and Qt's, and every text a user can
// see (labels, buttons, menus and actions, tool tips, placeholders, tabs, column headers,
// window titles) is searched for English words: a string that bypasses tr(), or a .ts entry
// left untranslated, fails here with the widget and the text.
class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void clientWindows();
    void adminWindows();

private:
    // The visible texts under root (root included) with English words in them, each as
    // "objectName: text".
    static QStringList english(QWidget *root);
    static void collect(const QString &where, const QString &text, QStringList *found);

    QTemporaryDir m_config;
};

namespace {

// Words that are names, not English: the product, protocols, units and key names, and what
// the tests themselves typed (nicks, rooms, addresses).
const QStringList &allowedWords()
{
    static const QStringList words{
        QStringLiteral("groupchat"), QStringLiteral("TLS"),       QStringLiteral("IRC"),
        QStringLiteral("Redis"),     QStringLiteral("SHA"),       QStringLiteral("JSON"),
        QStringLiteral("UTF"),       QStringLiteral("IPv"),       QStringLiteral("Ctrl"),
        QStringLiteral("Shift"),     QStringLiteral("Esc"),       QStringLiteral("Enter"),
        QStringLiteral("Tab"),       QStringLiteral("Alt"),       QStringLiteral("alice"),
        QStringLiteral("general"),   QStringLiteral("localhost"), QStringLiteral("redis"),
        QStringLiteral("PEM"),       QStringLiteral("SQLite"),    QStringLiteral("memory"),
        QStringLiteral("systemd"),   QStringLiteral("HexChat"),   QStringLiteral("irssi"),
        QStringLiteral("WeeChat"),   QStringLiteral("telnet"),    QStringLiteral("pem"),
        QStringLiteral("sqlite"),    QStringLiteral("KiB"),       QStringLiteral("MiB"),
        QStringLiteral("DNS"),       QStringLiteral("Avahi"),     QStringLiteral("UDP"),
        QStringLiteral("VPN")
    };
    return words;
}

} // namespace

void tst_Translations::collect(const QString &where, const QString &text, QStringList *found)
{
    // Not a command, a room or an option as typed (/help, #general, --port).
    static const QRegularExpression word(QStringLiteral("(?<![/#A-Za-z-])[A-Za-z]{3,}"));
    auto it = word.globalMatch(text);
    while (it.hasNext()) {
        const QString w = it.next().captured();
        if (!allowedWords().contains(w, Qt::CaseInsensitive)) {
            found->append(where + u": " + text);
            return;
        }
    }
}

QStringList tst_Translations::english(QWidget *root)
{
    QStringList found;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : std::as_const(widgets)) {
        // What people wrote is theirs: the conversation's text and the lists' names.
        if (qobject_cast<ConversationView *>(w))
            continue;
        const QString where = w->objectName().isEmpty() ? QString::fromLatin1(w->metaObject()->className())
                                                        : w->objectName();
        if (w->isWindow())
            collect(where + u" (title)", w->windowTitle(), &found);
        collect(where + u" (tool tip)", w->toolTip(), &found);
        if (auto *label = qobject_cast<QLabel *>(w); label && label->isVisibleTo(root))
            collect(where, label->text(), &found);
        if (auto *button = qobject_cast<QAbstractButton *>(w); button && button->isVisibleTo(root))
            collect(where, button->text(), &found);
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            collect(where + u" (placeholder)", edit->placeholderText(), &found);
        if (auto *group = qobject_cast<QGroupBox *>(w))
            collect(where, group->title(), &found);
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                collect(where + u" (tab)", tabs->tabText(i), &found);
        }
        if (auto *menu = qobject_cast<QMenu *>(w))
            collect(where, menu->title(), &found);
        if (auto *view = qobject_cast<QAbstractItemView *>(w); view && view->model()) {
            for (int c = 0; c < view->model()->columnCount(); ++c)
                collect(where + u" (column)", view->model()->headerData(c, Qt::Horizontal).toString(),
                        &found);
        }
    }
    for (QAction *action : root->findChildren<QAction *>()) {
        if (action->isSeparator())
            continue;
        const QString where =
                action->objectName().isEmpty() ? QStringLiteral("action") : action->objectName();
        collect(where, QString(action->text()).remove(u'&'), &found);
        if (action->toolTip() != QString(action->text()).remove(u'&'))
            collect(where + u" (tool tip)", action->toolTip(), &found);
        collect(where + u" (status tip)", action->statusTip(), &found);
    }
    found.removeDuplicates();
    return found;
}

void tst_Translations::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    // The connect dialog looks for servers: on lo only, nothing leaves the machine.
    qputenv("GROUPCHAT_DISCOVERY_LOOPBACK_ONLY", "1");
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    for (const char *file : { GROUPCHAT_CLIENT_QM, GROUPCHAT_SERVER_QM }) {
        auto *translator = new QTranslator(qApp);
        QVERIFY2(translator->load(QString::fromUtf8(file)), file);
        QCoreApplication::installTranslator(translator);
    }
    // Qt's own words (standard buttons), from qt6-translations-l10n.
    auto *qt = new QTranslator(qApp);
    QVERIFY2(qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath)),
             "no qtbase_zh_CN.qm: scripts/deps.sh installs qt6-translations-l10n");
    QCoreApplication::installTranslator(qt);
}

void tst_Translations::clientWindows()
{
    ChatServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    ChatClient client;
    MainWindow window(&client);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy welcomed(client.connection(), &ChatConnection::welcomed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), server.serverPort(),
                                         QStringLiteral("alice"));
    QVERIFY(welcomed.wait());
    // The banner a server that lost its cluster brings up (there is no cluster here).
    auto *banner = window.findChild<QLabel *>(QStringLiteral("clusterBanner"));
    QVERIFY(banner);
    banner->show();
    QStringList found = english(&window);

    ConnectDialog connect(&client);
    connect.show();
    QVERIFY(QTest::qWaitForWindowExposed(&connect));
    found += english(&connect);
    JoinRoomDialog join;
    join.show();
    QVERIFY(QTest::qWaitForWindowExposed(&join));
    found += english(&join);
    SearchDialog search(&client);
    search.show();
    QVERIFY(QTest::qWaitForWindowExposed(&search));
    found += english(&search);
    PreferencesDialog preferences{ ClientPreferences() };
    preferences.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preferences));
    found += english(&preferences);
    QVERIFY2(found.isEmpty(), qPrintable(u"English under zh_CN:\n" + found.join(u'\n')));
}

void tst_Translations::adminWindows()
{
    LogCollector log;
    ServerService service;
    const auto config = [] {
        ServerConfig c;
        c.address = QHostAddress::LocalHost;
        c.port = 0;
        c.ircPort = ServerConfig::ircFreePort;
        c.database = QStringLiteral(":memory:");
        return c;
    };
    AdminWindow window(&service, &log, config, QStringList{ QStringLiteral("bind"), QStringLiteral("port") });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.startService());
    // The name a server without --name tells its clients, in the admin's language.
    QCOMPARE(ChatServer::defaultServerName(),
             QSysInfo::machineHostName() + QStringLiteral(" 上的 groupchat"));
    QCOMPARE(service.server()->serverName(), ChatServer::defaultServerName());
    QStringList found = english(&window);
    SettingsDialog settings(config(), {}, &window);
    settings.show();
    QVERIFY(QTest::qWaitForWindowExposed(&settings));
    found += english(&settings);
    QVERIFY2(found.isEmpty(), qPrintable(u"English under zh_CN:\n" + found.join(u'\n')));
}

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
