import { useTranslation } from 'react-i18next';

/**
 * The buttons of a form whose action is asked twice (ops repairs, erasure): the first press
 * asks for confirmation (`confirming`), the second sends; Cancel steps back.
 */
export function ConfirmButtons({ confirming, pending, startLabel, confirmLabel, onCancel }: {
  confirming: boolean;
  pending: boolean;
  startLabel: string;
  confirmLabel: string;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="submit" className={confirming ? 'button button-danger' : 'button button-secondary'} disabled={pending}>
        {pending ? t('form.sending') : confirming ? confirmLabel : startLabel}
      </button>
      {confirming && (
        <button type="button" className="button button-quiet" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      )}
    </div>
  );
}
