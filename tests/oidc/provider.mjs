// A real OpenID Connect provider for the unified identity journey (tests only): panva's
// oidc-provider, certified by the OpenID Foundation, with its development sign-in pages
// (any login name is accepted as the subject). Configured from the environment by
// tests/browser/test_oidc_journey.py, which starts it on a free port.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  async findAccount(ctx, sub) {
    return { accountId: sub, async claims() { return { sub }; } };
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ["test-only-cookie-signing-key"] },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
