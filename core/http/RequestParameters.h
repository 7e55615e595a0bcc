#pragma once

#include "http/FormParser.h"
#include "http/HttpExchange.h"
#include "Profile.h"
#include "protocol/Result.h"

namespace oauthsim {

// The parameters of a request to the token, revocation, introspection and check_token endpoints: the query
// string followed by an application/x-www-form-urlencoded body, as Spring's request.getParameter() sees them
// (PROTOCOL.md step 7). invalid_request when one cannot be parsed or a parameter repeats (RFC 6749 §3.1).
// With ParameterSource::BodyOnly (Spring Authorization Server) the query string is ignored.
Result<FormParameters> requestParameters(const HttpRequest &request, ParameterSource source);

} // namespace oauthsim
