# 19:49:58, 0 s: dataplane
# 19:50:38, 40 s: tcp run 1
# profile of one TCP stream through veth (cpu-clock samples, whole guest):
#   by process:     72.84%  iperf3         
#   by process:     25.44%  swapper        
#   by binary:     70.67%  iperf3           [kernel.kallsyms]   
#   by binary:     25.44%  swapper          [kernel.kallsyms]   
#   by function, all processes:     22.30%  [k] native_safe_halt
#   by function, all processes:     13.71%  [k] copy_user_generic_string
#   by function, all processes:     11.21%  [k] clear_page_rep
#   by function, all processes:      6.20%  [k] read_hpet
#   by function, all processes:      5.71%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      2.85%  [k] finish_task_switch.isra.0
#   by function, all processes:      1.54%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      1.19%  [k] handle_softirqs
#   by function, all processes:      0.84%  [k] tcp_ack
#   by function, all processes:      0.76%  [k] __tcp_transmit_skb
#   by function, all processes:      0.74%  [k] get_page_from_freelist
#   by function, all processes:      0.64%  [k] __check_object_size
#   by function, all processes:      0.64%  [k] __static_call_text_end
#   by function, all processes:      0.57%  [k] tcp_sendmsg_locked
#   by function, all processes:      0.55%  [k] memset
#   by function:     22.30%  swapper          [k] native_safe_halt
#   by function:     13.71%  iperf3           [k] copy_user_generic_string
#   by function:     11.18%  iperf3           [k] clear_page_rep
#   by function:      6.20%  iperf3           [k] read_hpet
#   by function:      5.24%  iperf3           [k] _raw_spin_unlock_irqrestore
#   by function:      1.74%  swapper          [k] finish_task_switch.isra.0
#   by function:      1.54%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      1.03%  iperf3           [k] finish_task_switch.isra.0
#   by function:      0.84%  iperf3           [k] handle_softirqs
#   by function:      0.82%  iperf3           [k] tcp_ack
#   by function:      0.76%  iperf3           [k] __tcp_transmit_skb
#   by function:      0.74%  iperf3           [k] get_page_from_freelist
# profile of one TCP stream through esptun-gcm128 (cpu-clock samples, whole guest):
#   by process:     18.70%  swapper        
#   by process:     13.71%  kworker/0:2-wg-
#   by process:     11.16%  kworker/1:2-wg-
#   by process:      9.86%  kworker/u4:2   
#   by process:      9.83%  iperf3         
#   by process:      9.09%  ksoftirqd/0    
#   by process:      8.86%  kworker/u4:0-ev
#   by process:      6.15%  ksoftirqd/1    
#   by process:      4.28%  kworker/0:1-eve
#   by process:      3.53%  kworker/u4:3   
#   by process:      3.23%  kworker/1:1-eve
#   by binary:     18.70%  swapper          [kernel.kallsyms]   
#   by binary:     13.71%  kworker/0:2-wg-  [kernel.kallsyms]   
#   by binary:     11.16%  kworker/1:2-wg-  [kernel.kallsyms]   
#   by binary:      9.86%  kworker/u4:2     [kernel.kallsyms]   
#   by binary:      9.09%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      8.86%  kworker/u4:0-ev  [kernel.kallsyms]   
#   by binary:      8.75%  iperf3           [kernel.kallsyms]   
#   by binary:      6.15%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      4.28%  kworker/0:1-eve  [kernel.kallsyms]   
#   by binary:      3.53%  kworker/u4:3     [kernel.kallsyms]   
#   by binary:      3.23%  kworker/1:1-eve  [kernel.kallsyms]   
#   by function, all processes:     24.71%  [k] crypto_aes_encrypt
#   by function, all processes:     17.70%  [k] native_safe_halt
#   by function, all processes:      6.60%  [k] gf128mul_4k_lle
#   by function, all processes:      4.00%  [k] _raw_spin_unlock_irq
#   by function, all processes:      3.49%  [k] crypto_ctr_crypt
#   by function, all processes:      3.39%  [k] queue_work_on
#   by function, all processes:      3.11%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      2.24%  [k] finish_task_switch.isra.0
#   by function, all processes:      2.14%  [k] ghash_update
#   by function, all processes:      1.58%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      1.52%  [k] read_hpet
#   by function, all processes:      1.46%  [k] memset
#   by function, all processes:      1.20%  [k] __static_call_text_end
#   by function, all processes:      1.09%  [k] __crypto_xor
#   by function, all processes:      1.05%  [k] csum_partial_copy_generic
#   by function, all processes:      0.60%  [k] csum_partial
#   by function:     17.70%  swapper          [k] native_safe_halt
#   by function:      4.06%  kworker/0:2-wg-  [k] crypto_aes_encrypt
#   by function:      3.84%  kworker/u4:2     [k] crypto_aes_encrypt
#   by function:      3.78%  kworker/1:2-wg-  [k] crypto_aes_encrypt
#   by function:      3.74%  kworker/u4:0-ev  [k] crypto_aes_encrypt
#   by function:      2.88%  ksoftirqd/0      [k] crypto_aes_encrypt
#   by function:      1.80%  ksoftirqd/1      [k] crypto_aes_encrypt
#   by function:      1.59%  kworker/u4:2     [k] _raw_spin_unlock_irq
#   by function:      1.51%  kworker/u4:2     [k] gf128mul_4k_lle
#   by function:      1.33%  kworker/u4:3     [k] crypto_aes_encrypt
#   by function:      1.24%  kworker/0:1-eve  [k] crypto_aes_encrypt
#   by function:      1.24%  kworker/u4:0-ev  [k] _raw_spin_unlock_irq
#   by function:      1.21%  iperf3           [k] crypto_aes_encrypt
#   by function:      1.19%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      1.12%  kworker/u4:0-ev  [k] gf128mul_4k_lle
#   by function:      0.95%  kworker/0:2-wg-  [k] gf128mul_4k_lle
#   by function:      0.87%  kworker/u4:3     [k] _raw_spin_unlock_irq
#   by function:      0.82%  kworker/1:1-eve  [k] crypto_aes_encrypt
#   by function:      0.81%  kworker/1:2-wg-  [k] gf128mul_4k_lle
#   by function:      0.78%  ksoftirqd/0      [k] queue_work_on
# profile of one TCP stream through esptun-gcm128-1cpu (cpu-clock samples, whole guest):
#   by process:     36.73%  iperf3         
#   by process:     31.13%  swapper        
#   by process:     15.29%  ksoftirqd/1    
#   by process:     14.07%  ksoftirqd/0    
#   by binary:     35.39%  iperf3           [kernel.kallsyms]   
#   by binary:     31.13%  swapper          [kernel.kallsyms]   
#   by binary:     15.29%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:     14.07%  ksoftirqd/0      [kernel.kallsyms]   
#   by function, all processes:     29.25%  [k] native_safe_halt
#   by function, all processes:     22.98%  [k] crypto_aes_encrypt
#   by function, all processes:      6.79%  [k] gf128mul_4k_lle
#   by function, all processes:      6.38%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      3.17%  [k] crypto_ctr_crypt
#   by function, all processes:      2.85%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      2.55%  [k] ghash_update
#   by function, all processes:      2.23%  [k] read_hpet
#   by function, all processes:      0.98%  [k] handle_softirqs
#   by function, all processes:      0.83%  [k] __static_call_text_end
#   by function, all processes:      0.81%  [k] memset
#   by function, all processes:      0.76%  [k] finish_task_switch.isra.0
#   by function, all processes:      0.67%  [k] __crypto_xor
#   by function, all processes:      0.58%  [k] crypto_inc
#   by function:     29.25%  swapper          [k] native_safe_halt
#   by function:     11.48%  iperf3           [k] crypto_aes_encrypt
#   by function:      5.76%  ksoftirqd/0      [k] crypto_aes_encrypt
#   by function:      5.74%  ksoftirqd/1      [k] crypto_aes_encrypt
#   by function:      3.83%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      3.53%  iperf3           [k] gf128mul_4k_lle
#   by function:      1.93%  ksoftirqd/1      [k] gf128mul_4k_lle
#   by function:      1.87%  iperf3           [k] crypto_ctr_crypt
#   by function:      1.34%  ksoftirqd/0      [k] gf128mul_4k_lle
#   by function:      1.32%  iperf3           [k] ghash_update
#   by function:      1.32%  ksoftirqd/1      [k] native_queued_spin_lock_slowpath
#   by function:      1.13%  ksoftirqd/0      [k] native_queued_spin_lock_slowpath
#   by function:      1.05%  iperf3           [k] _raw_spin_unlock_irqrestore
#   by function:      0.81%  ksoftirqd/0      [k] read_hpet
#   by function:      0.78%  ksoftirqd/1      [k] crypto_ctr_crypt
#   by function:      0.78%  swapper          [k] handle_softirqs
#   by function:      0.72%  iperf3           [k] read_hpet
#   by function:      0.72%  ksoftirqd/0      [k] ghash_update
#   by function:      0.70%  ksoftirqd/1      [k] read_hpet
# profile of one TCP stream through esptun-gcm128-nogso (cpu-clock samples, whole guest):
#   by process:     20.44%  swapper        
#   by process:     14.12%  kworker/1:1-esp
#   by process:     10.81%  kworker/0:2-esp
#   by process:      9.92%  iperf3         
#   by process:      9.88%  kworker/u4:0-es
#   by process:      9.87%  ksoftirqd/1    
#   by process:      8.61%  kworker/u4:3-ev
#   by process:      8.37%  ksoftirqd/0    
#   by process:      3.85%  kworker/0:1-eve
#   by binary:     20.44%  swapper          [kernel.kallsyms]   
#   by binary:     14.12%  kworker/1:1-esp  [kernel.kallsyms]   
#   by binary:     10.81%  kworker/0:2-esp  [kernel.kallsyms]   
#   by binary:      9.88%  kworker/u4:0-es  [kernel.kallsyms]   
#   by binary:      9.87%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      8.94%  iperf3           [kernel.kallsyms]   
#   by binary:      8.61%  kworker/u4:3-ev  [kernel.kallsyms]   
#   by binary:      8.37%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      3.85%  kworker/0:1-eve  [kernel.kallsyms]   
#   by function, all processes:     20.82%  [k] crypto_aes_encrypt
#   by function, all processes:     19.10%  [k] native_safe_halt
#   by function, all processes:      7.01%  [k] gf128mul_4k_lle
#   by function, all processes:      3.46%  [k] crypto_ctr_crypt
#   by function, all processes:      3.36%  [k] queue_work_on
#   by function, all processes:      3.20%  [k] finish_task_switch.isra.0
#   by function, all processes:      2.48%  [k] _raw_spin_unlock_irq
#   by function, all processes:      2.03%  [k] ghash_update
#   by function, all processes:      1.58%  [k] read_hpet
#   by function, all processes:      1.55%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      1.40%  [k] __static_call_text_end
#   by function, all processes:      1.40%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      1.40%  [k] memset
#   by function, all processes:      0.92%  [k] __crypto_xor
#   by function, all processes:      0.75%  [k] csum_partial_copy_generic
#   by function, all processes:      0.67%  [k] esptun_xmit
#   by function, all processes:      0.59%  [k] __kmem_cache_alloc_node
#   by function, all processes:      0.53%  [k] crypto_inc
#   by function:     19.10%  swapper          [k] native_safe_halt
#   by function:      3.88%  kworker/u4:0-es  [k] crypto_aes_encrypt
#   by function:      3.67%  kworker/1:1-esp  [k] crypto_aes_encrypt
#   by function:      3.25%  kworker/u4:3-ev  [k] crypto_aes_encrypt
#   by function:      2.83%  kworker/0:2-esp  [k] crypto_aes_encrypt
#   by function:      2.76%  ksoftirqd/1      [k] crypto_aes_encrypt
#   by function:      2.28%  ksoftirqd/0      [k] crypto_aes_encrypt
#   by function:      1.23%  kworker/u4:0-es  [k] _raw_spin_unlock_irq
#   by function:      1.20%  kworker/u4:3-ev  [k] gf128mul_4k_lle
#   by function:      1.14%  kworker/u4:0-es  [k] gf128mul_4k_lle
#   by function:      1.00%  kworker/0:1-eve  [k] crypto_aes_encrypt
#   by function:      1.00%  kworker/0:2-esp  [k] gf128mul_4k_lle
#   by function:      1.00%  kworker/1:1-esp  [k] gf128mul_4k_lle
#   by function:      0.96%  kworker/1:1-esp  [k] queue_work_on
#   by function:      0.91%  ksoftirqd/0      [k] gf128mul_4k_lle
#   by function:      0.83%  ksoftirqd/1      [k] gf128mul_4k_lle
#   by function:      0.82%  kworker/u4:3-ev  [k] _raw_spin_unlock_irq
#   by function:      0.81%  kworker/u4:0-es  [k] finish_task_switch.isra.0
# profile of one TCP stream through xfrm-gcm128 (cpu-clock samples, whole guest):
#   by process:     49.93%  iperf3         
#   by process:     46.50%  swapper        
#   by binary:     49.40%  iperf3           [kernel.kallsyms]   
#   by binary:     46.50%  swapper          [kernel.kallsyms]   
#   by function, all processes:     45.92%  [k] native_safe_halt
#   by function, all processes:     23.60%  [k] crypto_aes_encrypt
#   by function, all processes:      5.31%  [k] gf128mul_4k_lle
#   by function, all processes:      2.90%  [k] ghash_update
#   by function, all processes:      2.57%  [k] crypto_ctr_crypt
#   by function, all processes:      1.22%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.93%  [k] __static_call_text_end
#   by function, all processes:      0.92%  [k] read_hpet
#   by function, all processes:      0.58%  [k] __crypto_xor
#   by function:     45.92%  swapper          [k] native_safe_halt
#   by function:     23.42%  iperf3           [k] crypto_aes_encrypt
#   by function:      5.25%  iperf3           [k] gf128mul_4k_lle
#   by function:      2.89%  iperf3           [k] ghash_update
#   by function:      2.54%  iperf3           [k] crypto_ctr_crypt
#   by function:      0.91%  iperf3           [k] __static_call_text_end
#   by function:      0.89%  iperf3           [k] read_hpet
# profile of one TCP stream through esptun-cbc256 (cpu-clock samples, whole guest):
#   by process:     16.42%  swapper        
#   by process:     13.17%  iperf3         
#   by process:     12.96%  ksoftirqd/0    
#   by process:     11.94%  ksoftirqd/1    
#   by process:      8.05%  kworker/u4:0-ev
#   by process:      7.30%  kworker/u4:3-es
#   by process:      7.24%  kworker/u4:2-es
#   by process:      6.27%  kworker/0:2-mm_
#   by process:      6.07%  kworker/1:1-esp
#   by process:      4.68%  kworker/0:1-esp
#   by process:      4.30%  kworker/1:2-mm_
#   by binary:     16.42%  swapper          [kernel.kallsyms]   
#   by binary:     12.96%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:     12.12%  iperf3           [kernel.kallsyms]   
#   by binary:     11.94%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      8.05%  kworker/u4:0-ev  [kernel.kallsyms]   
#   by binary:      7.30%  kworker/u4:3-es  [kernel.kallsyms]   
#   by binary:      7.24%  kworker/u4:2-es  [kernel.kallsyms]   
#   by binary:      6.27%  kworker/0:2-mm_  [kernel.kallsyms]   
#   by binary:      6.07%  kworker/1:1-esp  [kernel.kallsyms]   
#   by binary:      4.68%  kworker/0:1-esp  [kernel.kallsyms]   
#   by binary:      4.30%  kworker/1:2-mm_  [kernel.kallsyms]   
#   by function, all processes:     15.38%  [k] native_safe_halt
#   by function, all processes:     15.05%  [k] sha256_update
#   by function, all processes:     12.23%  [k] crypto_aes_encrypt
#   by function, all processes:      7.14%  [k] crypto_aes_decrypt
#   by function, all processes:      5.56%  [k] crypto_cbc_decrypt
#   by function, all processes:      5.18%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      3.73%  [k] queue_work_on
#   by function, all processes:      3.34%  [k] _raw_spin_unlock_irq
#   by function, all processes:      2.44%  [k] finish_task_switch.isra.0
#   by function, all processes:      1.68%  [k] crypto_cbc_encrypt
#   by function, all processes:      1.53%  [k] read_hpet
#   by function, all processes:      1.30%  [k] __crypto_xor
#   by function, all processes:      1.30%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.78%  [k] __static_call_text_end
#   by function, all processes:      0.75%  [k] memset
#   by function, all processes:      0.74%  [k] csum_partial_copy_generic
#   by function, all processes:      0.51%  [k] crng_make_state
#   by function:     15.38%  swapper          [k] native_safe_halt
#   by function:      2.59%  ksoftirqd/0      [k] sha256_update
#   by function:      2.49%  ksoftirqd/1      [k] sha256_update
#   by function:      2.25%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      2.04%  kworker/u4:0-ev  [k] sha256_update
#   by function:      2.03%  ksoftirqd/0      [k] crypto_aes_encrypt
#   by function:      1.94%  iperf3           [k] crypto_aes_encrypt
#   by function:      1.79%  kworker/u4:2-es  [k] sha256_update
#   by function:      1.64%  ksoftirqd/1      [k] crypto_aes_encrypt
#   by function:      1.56%  kworker/u4:3-es  [k] sha256_update
#   by function:      1.48%  kworker/u4:0-ev  [k] crypto_aes_encrypt
#   by function:      1.30%  kworker/u4:3-es  [k] _raw_spin_unlock_irq
#   by function:      1.30%  kworker/u4:3-es  [k] crypto_aes_encrypt
#   by function:      1.25%  kworker/u4:2-es  [k] crypto_aes_encrypt
#   by function:      1.22%  ksoftirqd/0      [k] crypto_aes_decrypt
#   by function:      1.18%  ksoftirqd/0      [k] crypto_cbc_decrypt
#   by function:      1.16%  ksoftirqd/1      [k] crypto_aes_decrypt
#   by function:      1.10%  ksoftirqd/1      [k] queue_work_on
#   by function:      1.08%  iperf3           [k] sha256_update
#   by function:      0.99%  kworker/u4:0-ev  [k] _raw_spin_unlock_irq
#   by function:      0.96%  kworker/0:2-mm_  [k] sha256_update
#   by function:      0.96%  kworker/1:1-esp  [k] sha256_update
#   by function:      0.92%  kworker/u4:0-ev  [k] crypto_aes_decrypt
#   by function:      0.90%  kworker/u4:3-es  [k] crypto_aes_decrypt
#   by function:      0.85%  ksoftirqd/1      [k] crypto_cbc_decrypt
#   by function:      0.85%  kworker/0:1-esp  [k] sha256_update
#   by function:      0.82%  kworker/0:2-mm_  [k] crypto_aes_encrypt
#   by function:      0.81%  kworker/u4:2-es  [k] _raw_spin_unlock_irq
#   by function:      0.79%  kworker/u4:2-es  [k] crypto_cbc_decrypt
#   by function:      0.78%  ksoftirqd/0      [k] queue_work_on
#   by function:      0.75%  kworker/1:1-esp  [k] crypto_aes_encrypt
#   by function:      0.73%  ksoftirqd/0      [k] native_queued_spin_lock_slowpath
#   by function:      0.73%  kworker/1:1-esp  [k] crypto_aes_decrypt
#   by function:      0.73%  kworker/1:2-mm_  [k] sha256_update
# profile of one TCP stream through xfrm-cbc256 (cpu-clock samples, whole guest):
#   by process:     38.61%  ksoftirqd/1    
#   by process:     32.34%  swapper        
#   by process:     19.59%  iperf3         
#   by process:      7.83%  ksoftirqd/0    
#   by binary:     38.61%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:     32.34%  swapper          [kernel.kallsyms]   
#   by binary:     18.87%  iperf3           [kernel.kallsyms]   
#   by binary:      7.83%  ksoftirqd/0      [kernel.kallsyms]   
#   by function, all processes:     31.71%  [k] native_safe_halt
#   by function, all processes:     13.05%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:     11.08%  [k] sha256_update
#   by function, all processes:      7.65%  [k] crypto_aes_decrypt
#   by function, all processes:      6.75%  [k] crypto_cbc_decrypt
#   by function, all processes:      6.60%  [k] crypto_aes_encrypt
#   by function, all processes:      2.01%  [k] read_hpet
#   by function, all processes:      2.00%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      0.94%  [k] __crypto_xor
#   by function, all processes:      0.91%  [k] __static_call_text_end
#   by function, all processes:      0.89%  [k] crypto_cbc_encrypt
#   by function, all processes:      0.77%  [k] finish_task_switch.isra.0
#   by function:     31.71%  swapper          [k] native_safe_halt
#   by function:     12.54%  iperf3           [k] native_queued_spin_lock_slowpath
#   by function:      9.12%  ksoftirqd/1      [k] sha256_update
#   by function:      6.13%  ksoftirqd/1      [k] crypto_aes_decrypt
#   by function:      5.78%  ksoftirqd/1      [k] crypto_cbc_decrypt
#   by function:      4.41%  ksoftirqd/1      [k] crypto_aes_encrypt
#   by function:      1.54%  ksoftirqd/0      [k] sha256_update
#   by function:      1.53%  ksoftirqd/0      [k] crypto_aes_encrypt
#   by function:      1.44%  ksoftirqd/1      [k] read_hpet
#   by function:      1.39%  ksoftirqd/0      [k] crypto_aes_decrypt
#   by function:      1.15%  ksoftirqd/1      [k] _raw_spin_unlock_irqrestore
#   by function:      0.88%  ksoftirqd/0      [k] crypto_cbc_decrypt
#   by function:      0.74%  ksoftirqd/1      [k] __crypto_xor
# profile of one TCP stream through wireguard (cpu-clock samples, whole guest):
#   by process:     10.74%  iperf3         
#   by process:      9.66%  ksoftirqd/1    
#   by process:      9.09%  swapper        
#   by process:      8.15%  ksoftirqd/0    
#   by process:      8.11%  kworker/1:4    
#   by process:      6.75%  kworker/1:0-rcu
#   by process:      6.39%  kworker/1:2-esp
#   by process:      5.94%  kworker/0:3    
#   by process:      5.78%  kworker/0:2-esp
#   by process:      5.33%  kworker/1:6    
#   by process:      5.09%  kworker/0:0-wg-
#   by process:      4.63%  kworker/0:1-eve
#   by process:      4.09%  kworker/1:3    
#   by process:      3.60%  kworker/0:5    
#   by process:      2.95%  kworker/1:5    
#   by binary:      9.66%  ksoftirqd/1      [kernel.kallsyms]   
#   by binary:      9.27%  iperf3           [kernel.kallsyms]   
#   by binary:      9.09%  swapper          [kernel.kallsyms]   
#   by binary:      8.15%  ksoftirqd/0      [kernel.kallsyms]   
#   by binary:      8.11%  kworker/1:4      [kernel.kallsyms]   
#   by binary:      6.75%  kworker/1:0-rcu  [kernel.kallsyms]   
#   by binary:      6.39%  kworker/1:2-esp  [kernel.kallsyms]   
#   by binary:      5.94%  kworker/0:3      [kernel.kallsyms]   
#   by binary:      5.78%  kworker/0:2-esp  [kernel.kallsyms]   
#   by binary:      5.33%  kworker/1:6      [kernel.kallsyms]   
#   by binary:      5.09%  kworker/0:0-wg-  [kernel.kallsyms]   
#   by binary:      4.63%  kworker/0:1-eve  [kernel.kallsyms]   
#   by binary:      4.09%  kworker/1:3      [kernel.kallsyms]   
#   by binary:      3.60%  kworker/0:5      [kernel.kallsyms]   
#   by binary:      2.95%  kworker/1:5      [kernel.kallsyms]   
#   by function, all processes:     21.22%  [k] chacha_permute
#   by function, all processes:      8.63%  [k] native_safe_halt
#   by function, all processes:      6.81%  [k] chacha_block_generic
#   by function, all processes:      4.05%  [k] read_hpet
#   by function, all processes:      3.83%  [k] finish_task_switch.isra.0
#   by function, all processes:      3.64%  [k] poly1305_blocks_x86_64
#   by function, all processes:      2.55%  [k] chacha_crypt_generic
#   by function, all processes:      2.09%  [k] _raw_spin_unlock_irqrestore
#   by function, all processes:      1.81%  [k] native_queued_spin_lock_slowpath
#   by function, all processes:      1.78%  [k] queue_work_on
#   by function, all processes:      1.41%  [k] csum_partial_copy_generic
#   by function, all processes:      1.32%  [k] _raw_spin_unlock_irq
#   by function, all processes:      1.14%  [k] chacha20poly1305_crypt_sg_inplace
#   by function, all processes:      1.06%  [k] copy_user_generic_string
#   by function, all processes:      0.92%  [k] __napi_schedule
#   by function, all processes:      0.74%  [k] memset
#   by function, all processes:      0.70%  [k] clear_page_rep
#   by function, all processes:      0.69%  [k] encrypt_packet
#   by function, all processes:      0.60%  [k] wg_packet_rx_poll
#   by function, all processes:      0.58%  [k] handle_softirqs
#   by function:      8.63%  swapper          [k] native_safe_halt
#   by function:      2.49%  kworker/0:3      [k] chacha_permute
#   by function:      2.39%  kworker/0:2-esp  [k] chacha_permute
#   by function:      2.33%  kworker/1:0-rcu  [k] chacha_permute
#   by function:      2.30%  kworker/0:0-wg-  [k] chacha_permute
#   by function:      2.14%  kworker/1:4      [k] chacha_permute
#   by function:      1.93%  kworker/0:1-eve  [k] chacha_permute
#   by function:      1.69%  kworker/1:6      [k] chacha_permute
#   by function:      1.65%  kworker/1:2-esp  [k] chacha_permute
#   by function:      1.57%  kworker/0:5      [k] chacha_permute
#   by function:      1.09%  ksoftirqd/1      [k] read_hpet
#   by function:      1.08%  kworker/1:3      [k] chacha_permute
#   by function:      1.06%  iperf3           [k] copy_user_generic_string
#   by function:      0.98%  iperf3           [k] read_hpet
#   by function:      0.85%  ksoftirqd/0      [k] native_queued_spin_lock_slowpath
#   by function:      0.80%  kworker/1:5      [k] chacha_permute
#   by function:      0.76%  kworker/1:0-rcu  [k] chacha_block_generic
#   by function:      0.70%  kworker/1:2-esp  [k] chacha_block_generic
# 19:54:15, 258 s: udp run 1
# 19:56:26, 389 s: done
# 0 measurements failed
