// Helper for tests/app/tst_crash.cpp: writes oauthsim's state file in a tight loop (each pass issues tokens and
// flushes the whole state atomically) until it is killed. Prints "writing" once the first state is on disk.
// Usage: oauthsim_statewriter DATA_DIR
#include "Clock.h"
#include "OAuthServer.h"
#include "secrets/MemorySecretStore.h"
#include "store/ConfigRepository.h"
#include "store/StateRepository.h"
#include "store/TokenStore.h"

#include <QCoreApplication>

#include <cstdio>

using namespace oauthsim;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: oauthsim_statewriter DATA_DIR\n");
        return 2;
    }
    OAuthServer server(ConfigRepository::embeddedDefault());
    MemorySecretStore secrets;
    StateRepository state(QString::fromLocal8Bit(argv[1]), server, secrets);
    for (quint64 i = 1;; ++i) {
        IssuedToken refresh;
        refresh.kind = IssuedToken::Kind::Refresh;
        refresh.value = QStringLiteral("refresh-%1").arg(i);
        refresh.clientId = QStringLiteral("messaging-client");
        refresh.username = QStringLiteral("user");
        refresh.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
        refresh.issuedAtMs = server.clock().nowMs();
        refresh.expiresAtMs = refresh.issuedAtMs + 3600 * 1000;
        refresh.flowId = i;
        IssuedToken access = refresh;
        access.kind = IssuedToken::Kind::Access;
        access.value = QStringLiteral("access-%1").arg(i);
        access.refreshToken = refresh.value;
        server.tokens().storeRefresh(refresh);
        server.tokens().storeAccess(access);
        if (i > 300) // keep the file a steady size: a few hundred tokens, some tens of kilobytes
            server.tokens().revokeRefresh(QStringLiteral("refresh-%1").arg(i - 300));
        state.flush();
        if (i == 1) {
            std::printf("writing\n");
            std::fflush(stdout);
        }
    }
}
