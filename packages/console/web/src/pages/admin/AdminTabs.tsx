/**
 * The frame of the administrators' pages: one heading and tabs (ingestion batches, keys,
 * accounts), each tab its own address so that it can be linked and reloaded.
 */
import type { ReactNode } from 'react';
import { Tabs } from '@codegouvfr/react-dsfr/Tabs';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../../components/RequireRole';

export const ADMIN_TABS = [
  { tabId: 'batches', to: '/admin' },
  { tabId: 'keys', to: '/admin/cles' },
  { tabId: 'users', to: '/admin/comptes' },
] as const;
export type AdminTab = (typeof ADMIN_TABS)[number]['tabId'];

export function AdminTabs({ tab, children }: { tab: AdminTab; children: ReactNode }): ReactNode {
  const { t } = useTranslation('admin');
  const navigate = useNavigate();
  return (
    <RequireRole roles={['admin']}>
      <h1>{t('title')}</h1>
      <p className="fr-text--lead">{t('lead')}</p>
      <Tabs
        label={t('tabsLabel')}
        selectedTabId={tab}
        tabs={ADMIN_TABS.map((x) => ({ tabId: x.tabId, label: t(`tabs.${x.tabId}`) }))}
        onTabChange={(id) => {
          const to = ADMIN_TABS.find((x) => x.tabId === id)?.to;
          if (to !== undefined) void navigate(to);
        }}
      >
        {children}
      </Tabs>
    </RequireRole>
  );
}
