#pragma once

#include <optional>

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "ServerEvents.h"
#include "model/SeedStep.h"

namespace oauthsim {

// The teaching text of the seed's eight steps (seeds/000_8e80b63750555761.txt), in English through tr(): what
// happens at each step, and why. The diagram, the flow list and the explanation panel all read it from here.
class SeedStepText
{
    Q_DECLARE_TR_FUNCTIONS(SeedStepText)
public:
    static constexpr int kStepCount = 8;

    // Steps 1–8 in the seed's order.
    static QList<SeedStep> steps();
    // A short title, e.g. "Sign in".
    static QString title(SeedStep step);
    // The request of the step in general form, shown until the real one happens.
    static QString request(SeedStep step);
    // What happens, from the seed's description.
    static QString explanation(SeedStep step);
    // Why the protocol does it this way.
    static QString reason(SeedStep step);
    // Why a step did not happen in a flow that went past it. `approval` says how step 5 was approved, if known.
    static QString skippedNote(SeedStep step, std::optional<ApprovalKind> approval = std::nullopt);
};

} // namespace oauthsim
