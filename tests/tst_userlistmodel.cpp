#include "userlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

OnlineUser user(const QString &nick)
{
    return { nick, QDateTime(QDate(2026, 11, 25), QTime(8, 0), Qt::UTC) };
}

} // namespace

class tst_UserListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sortedIgnoringCase();
    void addRemoveRename();
    void selfIsMarked();
};

void tst_UserListModel::sortedIgnoringCase()
{
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy count(&model, &UserListModel::countChanged);
    model.reset({ user(QStringLiteral("carol")), user(QStringLiteral("Bob")), user(QStringLiteral("alice")) },
                QStringLiteral("bob"));
    QCOMPARE(model.nicks(),
             (QStringList{ QStringLiteral("alice"), QStringLiteral("Bob"), QStringLiteral("carol") }));
    QCOMPARE(count.count(), 1);
    QCOMPARE(count.last().at(0).toInt(), 3);
}

void tst_UserListModel::addRemoveRename()
{
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset({ user(QStringLiteral("bob")), user(QStringLiteral("dave")) }, QStringLiteral("bob"));
    model.add(user(QStringLiteral("Carol")));
    model.add(user(QStringLiteral("alice")));
    model.add(user(QStringLiteral("alice"))); // already there
    QCOMPARE(model.nicks(), (QStringList{ QStringLiteral("alice"), QStringLiteral("bob"),
                                          QStringLiteral("Carol"), QStringLiteral("dave") }));
    model.rename(QStringLiteral("alice"), QStringLiteral("zoe"));
    QCOMPARE(model.nicks(), (QStringList{ QStringLiteral("bob"), QStringLiteral("Carol"),
                                          QStringLiteral("dave"), QStringLiteral("zoe") }));
    model.remove(QStringLiteral("CAROL")); // servers may differ in case
    model.remove(QStringLiteral("nobody"));
    QCOMPARE(model.nicks(),
             (QStringList{ QStringLiteral("bob"), QStringLiteral("dave"), QStringLiteral("zoe") }));
    QCOMPARE(model.rowCount(), 3);
}

void tst_UserListModel::selfIsMarked()
{
    UserListModel model;
    model.reset({ user(QStringLiteral("alice")), user(QStringLiteral("bob")) }, QStringLiteral("bob"));
    QCOMPARE(model.index(1).data(UserListModel::IsSelfRole).toBool(), true);
    QCOMPARE(model.index(1).data(Qt::DisplayRole).toString(), QStringLiteral("bob (you)"));
    QCOMPARE(model.index(0).data(UserListModel::IsSelfRole).toBool(), false);
    model.rename(QStringLiteral("bob"), QStringLiteral("robert"));
    QCOMPARE(model.index(1).data(UserListModel::NickRole).toString(), QStringLiteral("robert"));
    QCOMPARE(model.index(1).data(UserListModel::IsSelfRole).toBool(), true);
    QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("alice")));
}

QTEST_GUILESS_MAIN(tst_UserListModel)
#include "tst_userlistmodel.moc"
