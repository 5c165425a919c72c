import { OwnedNginx } from '../../tests/support/nginx-process';
import { portIn } from './services';

/** nginx with deploy/nginx.conf in front of the app on `appPort`, passing on each simulated buyer's address. */
export async function startNginx(appPort: number): Promise<OwnedNginx> {
  const nginx = new OwnedNginx(Number(process.env.ONSALE_PROXY_PORT) || (await portIn(3460, 3469)), appPort, {
    forwardClientAddress: true,
  });
  await nginx.start();
  return nginx;
}
