import { useEffect } from 'react';
import { onUnauthorized } from '../api/call';
import { DeliveriesScreen } from '../features/deliveries/DeliveriesScreen';
import { EventsScreen } from '../features/events/EventsScreen';
import { GroupsScreen } from '../features/groups/GroupsScreen';
import { HealthScreen } from '../features/health/HealthScreen';
import { MappingsScreen } from '../features/mappings/MappingsScreen';
import { MembersScreen } from '../features/members/MembersScreen';
import { OAuthScreen } from '../features/oauth/OAuthScreen';
import { OverviewScreen } from '../features/overview/OverviewScreen';
import { SchemasScreen } from '../features/schemas/SchemasScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SetupScreen } from '../features/setup/SetupScreen';
import { SimulateScreen } from '../features/simulate/SimulateScreen';
import { TokensScreen } from '../features/tokens/TokensScreen';
import { startLive } from './live';
import { parseHash, SCREENS, type ScreenId } from './routes';
import { SessionExpired } from './SessionExpired';
import { Sidebar } from './Sidebar';
import { useStore } from './store';

const screens: Record<ScreenId, () => React.JSX.Element> = {
  overview: OverviewScreen,
  tokens: TokensScreen,
  oauth: OAuthScreen,
  health: HealthScreen,
  mappings: MappingsScreen,
  members: MembersScreen,
  groups: GroupsScreen,
  schemas: SchemasScreen,
  events: EventsScreen,
  deliveries: DeliveriesScreen,
  simulate: SimulateScreen,
  settings: SettingsScreen,
  setup: SetupScreen,
};

export function App() {
  const expired = useStore((s) => s.sessionExpired);
  const neverLoggedIn = useStore((s) => s.neverLoggedIn);
  const screen = useStore((s) => s.route.screen);

  useEffect(() => {
    const offAuth = onUnauthorized((why) => useStore.getState().expireSession(why));
    const onHash = () => useStore.getState().setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    void useStore.getState().loadStatus();
    const offLive = startLive();
    return () => {
      offAuth();
      offLive();
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  useEffect(() => {
    document.title = `${SCREENS.find((s) => s.id === screen)?.title ?? 'Console'} · SCIM Desk`;
    // Move focus to the new screen's heading so keyboard and screen-reader users land in the content.
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [screen]);

  if (expired) return <SessionExpired neverLoggedIn={neverLoggedIn} />;
  const Screen = screens[screen];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <Screen />
      </main>
    </div>
  );
}
