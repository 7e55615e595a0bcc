#include "model/ScopeSet.h"

#include <QTest>

using namespace oauthsim;

class tst_ScopeSet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void constructorSortsAndDeduplicates();
    void containsAll_data();
    void containsAll();
    void firstOutside_data();
    void firstOutside();
    void intersected_data();
    void intersected();
    void joinedAndBracketed_data();
    void joinedAndBracketed();
    void equality();
};

void tst_ScopeSet::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");

    QTest::newRow("empty") << QString() << QStringList();
    QTest::newRow("blank") << QStringLiteral("   ") << QStringList();
    QTest::newRow("pluses only") << QStringLiteral("+ ++") << QStringList();
    QTest::newRow("one") << QStringLiteral("read") << QStringList{QStringLiteral("read")};
    QTest::newRow("spaces") << QStringLiteral("read write")
                            << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("sorted") << QStringLiteral("write read")
                            << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("several spaces") << QStringLiteral("  write   read ")
                                    << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    // OAuth2Utils.parseParameterList splits on [\s+]: any whitespace, or a literal '+'.
    QTest::newRow("tab and newline") << QStringLiteral("write\tread\nopenid\r\nprofile")
                                     << QStringList{QStringLiteral("openid"), QStringLiteral("profile"),
                                                    QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("literal plus") << QStringLiteral("write+read")
                                  << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("plus and spaces") << QStringLiteral("+write + read+")
                                     << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    // Commas are not separators: "read,write" is one (unregistered) scope name, as in Spring.
    QTest::newRow("comma is part of a name")
        << QStringLiteral("write,read") << QStringList{QStringLiteral("write,read")};
    QTest::newRow("comma and space") << QStringLiteral("write, read")
                                     << QStringList{QStringLiteral("read"), QStringLiteral("write,")};
    QTest::newRow("duplicates") << QStringLiteral("read write read read")
                                << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("duplicates across separators")
        << QStringLiteral("read+read write\tread") << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("three, code-point order")
        << QStringLiteral("profile openid Email")
        << QStringList{QStringLiteral("Email"), QStringLiteral("openid"), QStringLiteral("profile")};
    QTest::newRow("case-sensitive") << QStringLiteral("Read read")
                                    << QStringList{QStringLiteral("Read"), QStringLiteral("read")};
    QTest::newRow("colon and dots kept") << QStringLiteral("message:read api.write")
                                         << QStringList{QStringLiteral("api.write"), QStringLiteral("message:read")};
}

void tst_ScopeSet::parse()
{
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    const ScopeSet set = ScopeSet::parse(text);
    QCOMPARE(set.names(), names);
    QCOMPARE(set.size(), names.size());
    QCOMPARE(set.isEmpty(), names.isEmpty());
    for (const QString &name : names)
        QVERIFY2(set.contains(name), qPrintable(name));
    QVERIFY(!set.contains(QStringLiteral("admin")));
    QVERIFY(!set.contains(QString()));
}

void tst_ScopeSet::constructorSortsAndDeduplicates()
{
    const ScopeSet set(QStringList{QStringLiteral("write"), QString(), QStringLiteral("read"), QStringLiteral("write"),
                                   QStringLiteral("")});
    QCOMPARE(set.names(), (QStringList{QStringLiteral("read"), QStringLiteral("write")}));
    QVERIFY(ScopeSet().isEmpty());
    QCOMPARE(ScopeSet().size(), 0);
}

void tst_ScopeSet::containsAll_data()
{
    QTest::addColumn<QString>("set");
    QTest::addColumn<QString>("other");
    QTest::addColumn<bool>("expected");

    QTest::newRow("equal") << "read write"
                           << "write read" << true;
    QTest::newRow("subset") << "read write"
                            << "read" << true;
    QTest::newRow("empty other") << "read write"
                                 << "" << true;
    QTest::newRow("both empty") << ""
                                << "" << true;
    QTest::newRow("superset") << "read"
                              << "read write" << false;
    QTest::newRow("disjoint") << "read write"
                              << "admin" << false;
    QTest::newRow("one outside") << "read write"
                                 << "read admin" << false;
    QTest::newRow("empty set") << ""
                               << "read" << false;
    QTest::newRow("case matters") << "read"
                                  << "READ" << false;
}

void tst_ScopeSet::containsAll()
{
    QFETCH(QString, set);
    QFETCH(QString, other);
    QFETCH(bool, expected);
    QCOMPARE(ScopeSet::parse(set).containsAll(ScopeSet::parse(other)), expected);
}

void tst_ScopeSet::firstOutside_data()
{
    QTest::addColumn<QString>("set");
    QTest::addColumn<QString>("allowed");
    QTest::addColumn<QString>("expected");

    QTest::newRow("all inside") << "read"
                                << "read write"
                                << "";
    QTest::newRow("empty set") << ""
                               << "read"
                               << "";
    QTest::newRow("one outside") << "read admin"
                                 << "read write"
                                 << "admin";
    // Sorted order: "admin" < "delete", so admin is reported first whatever the request order.
    QTest::newRow("first in sorted order") << "delete admin read"
                                           << "read"
                                           << "admin";
    QTest::newRow("nothing allowed") << "write read"
                                     << ""
                                     << "read";
}

void tst_ScopeSet::firstOutside()
{
    QFETCH(QString, set);
    QFETCH(QString, allowed);
    QFETCH(QString, expected);
    const QString outside = ScopeSet::parse(set).firstOutside(ScopeSet::parse(allowed));
    QCOMPARE(outside, expected);
    QCOMPARE(outside.isEmpty(), expected.isEmpty());
}

void tst_ScopeSet::intersected_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("overlap") << "read write admin"
                             << "write read openid" << QStringList{QStringLiteral("read"), QStringLiteral("write")};
    QTest::newRow("disjoint") << "read"
                              << "write" << QStringList();
    QTest::newRow("with empty") << "read"
                                << "" << QStringList();
    QTest::newRow("same") << "read write"
                          << "read write" << QStringList{QStringLiteral("read"), QStringLiteral("write")};
}

void tst_ScopeSet::intersected()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(QStringList, expected);
    QCOMPARE(ScopeSet::parse(a).intersected(ScopeSet::parse(b)).names(), expected);
    QCOMPARE(ScopeSet::parse(b).intersected(ScopeSet::parse(a)).names(), expected);
}

void tst_ScopeSet::joinedAndBracketed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("joined");
    QTest::addColumn<QString>("bracketed");

    QTest::newRow("two") << "write read"
                         << "read write"
                         << "[read, write]";
    QTest::newRow("one") << "read"
                         << "read"
                         << "[read]";
    QTest::newRow("none") << ""
                          << ""
                          << "[]";
    QTest::newRow("three with pluses") << "c+a+b"
                                       << "a b c"
                                       << "[a, b, c]";
}

void tst_ScopeSet::joinedAndBracketed()
{
    QFETCH(QString, text);
    QFETCH(QString, joined);
    QFETCH(QString, bracketed);
    const ScopeSet set = ScopeSet::parse(text);
    QCOMPARE(set.joined(), joined);
    QCOMPARE(set.bracketed(), bracketed);
    // joined() parses back to the same set.
    QCOMPARE(ScopeSet::parse(set.joined()), set);
}

void tst_ScopeSet::equality()
{
    QCOMPARE(ScopeSet::parse(u"write read"), ScopeSet::parse(u"read+write"));
    QVERIFY(!(ScopeSet::parse(u"write read") == ScopeSet::parse(u"read,write")));
    QVERIFY(!(ScopeSet::parse(u"read") == ScopeSet::parse(u"read write")));
    QCOMPARE(ScopeSet::parse(u""), ScopeSet());
}

QTEST_GUILESS_MAIN(tst_ScopeSet)
#include "tst_scopeset.moc"
