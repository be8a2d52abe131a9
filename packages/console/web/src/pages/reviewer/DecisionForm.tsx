/**
 * A reviewer's decision on the version under review: approve, request changes or reject, with a
 * comment (required, as the API requires it, for anything but an approval).
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ActionError } from './ActionError';
import type { ReviewDecision, ReviewOutcome } from './types';

const DECISIONS: readonly ReviewDecision[] = ['approve', 'changes_requested', 'reject'];

export function DecisionForm({
  applicationId,
  version,
  onDecided,
}: {
  applicationId: string;
  version: number;
  onDecided: (outcome: ReviewOutcome) => void;
}): ReactNode {
  const { t } = useTranslation('reviewer');
  const [decision, setDecision] = useState<ReviewDecision | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<'decision' | 'comment' | null>(null);
  const [sending, setSending] = useState(false);
  const commentRequired = decision !== null && decision !== 'approve';

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(null);
    if (decision === null) return setMissing('decision');
    if (commentRequired && comment.trim() === '') return setMissing('comment');
    setMissing(null);
    setSending(true);
    api
      .post<ReviewOutcome>(`/api/v1/applications/${applicationId}/reviews`, {
        decision,
        comment: comment.trim() === '' ? null : comment.trim(),
      })
      .then(onDecided)
      .catch((err: unknown) => setError(err))
      .finally(() => setSending(false));
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="decision-title">
      <h2 id="decision-title">{t('decision.title', { version })}</h2>
      <RadioButtons
        legend={t('decision.legend')}
        state={missing === 'decision' ? 'error' : 'default'}
        stateRelatedMessage={missing === 'decision' ? t('decision.chooseOne') : undefined}
        options={DECISIONS.map((d) => ({
          label: t(`decision.${d}`),
          hintText: t(`decision.${d}Hint`),
          nativeInputProps: {
            name: 'decision',
            value: d,
            checked: decision === d,
            onChange: () => setDecision(d),
          },
        }))}
      />
      <Input
        label={commentRequired ? t('decision.commentRequired') : t('decision.comment')}
        hintText={t('decision.commentHint')}
        textArea
        state={missing === 'comment' ? 'error' : 'default'}
        stateRelatedMessage={missing === 'comment' ? t('decision.commentMissing') : undefined}
        nativeTextAreaProps={{
          value: comment,
          required: commentRequired,
          rows: 4,
          maxLength: 10_000,
          onChange: (e) => setComment(e.target.value),
        }}
      />
      <ActionError error={error} ns="reviewer" />
      <Button type="submit" disabled={sending} iconId="fr-icon-check-line">
        {sending ? t('decision.sending') : t('decision.submit')}
      </Button>
    </form>
  );
}
