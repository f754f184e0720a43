import { useStore } from '../../app/store';
import { ScreenHeader, Section } from '../../ui/Section';
import { ConflictQueue } from './ConflictQueue';
import { MemberDetailView } from './MemberDetail';
import { MemberList } from './MemberList';

export function MembersScreen() {
  const id = useStore((s) => s.route.param);
  if (id) return <MemberDetailView id={id} />;
  return (
    <>
      <ScreenHeader title="Members" />
      <ConflictQueue />
      <Section title="Directory">
        <MemberList />
      </Section>
    </>
  );
}
