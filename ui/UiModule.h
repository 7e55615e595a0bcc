#pragma once

namespace oauthsim::ui {

// The Widgets layer. The operator's window arrives with its own issue; until then the executable runs
// headless and this library only proves the core links into a Widgets target without QtHttpServer.
bool widgetsAvailable();

} // namespace oauthsim::ui
