/** The roles of an account, as labelled checkboxes. */
import type { ReactNode } from 'react';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { useTranslation } from 'react-i18next';
import { ACCOUNT_ROLES } from './types';
import type { AccountRole } from './types';

export function RolesFieldset({
  legend,
  name,
  value,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  value: readonly AccountRole[];
  onChange: (roles: readonly AccountRole[]) => void;
  error: string | null;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Checkbox
      legend={legend}
      orientation="horizontal"
      state={error !== null ? 'error' : 'default'}
      stateRelatedMessage={error ?? undefined}
      options={ACCOUNT_ROLES.map((r) => ({
        label: t(`roles.${r}`),
        nativeInputProps: {
          name,
          value: r,
          checked: value.includes(r),
          onChange: (e) =>
            onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r)),
        },
      }))}
    />
  );
}
