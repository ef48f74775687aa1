import { describe, expect, it } from '@jest/globals';
import { readGrantedPermissions } from '../../../shared/adapters/graph/grantedPermissions.js';
import { defaultAppRoles } from '../../../sandbox/auth/graphPermissions.js';
import { useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 5 });
const encode = (claims: unknown) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const tokenOf = (token: string) => ({ accessToken: async () => token });

describe('readGrantedPermissions', () => {
  it("reads the roles of the connection's own access token: what was consented when it was issued", async () => {
    const { sandbox, connect } = harness();
    expect(await readGrantedPermissions(connect())).toEqual({ readable: true, roles: [...defaultAppRoles] });
    sandbox.controls.setRoles(['User.Read.All']);
    try {
      expect(await readGrantedPermissions(connect())).toEqual({ readable: true, roles: ['User.Read.All'] });
    } finally {
      sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it('a token with no app role has no roles claim: nothing is granted', async () => {
    expect(await readGrantedPermissions(tokenOf(encode({ aud: 'https://graph.microsoft.com', idtyp: 'app' })))).toEqual({ readable: true, roles: [] });
  });

  it('a token it cannot read is reported, never guessed at', async () => {
    expect(await readGrantedPermissions(tokenOf('opaque-token'))).toEqual({ readable: false, detail: 'the access token is not a JWT' });
    expect(await readGrantedPermissions(tokenOf('a.!!!.c'))).toMatchObject({ readable: false });
    expect(await readGrantedPermissions(tokenOf(encode({ roles: 'User.Read.All' })))).toEqual({ readable: false, detail: "the access token's roles claim is not a list of names" });
  });

  it('no token at all is GRAPH_AUTH_FAILED', async () => {
    await expect(readGrantedPermissions(harness().connect({ clientSecret: 'wrong' }))).rejects.toMatchObject({ code: 'GRAPH_AUTH_FAILED' });
  });
});
